using Bench;

namespace InboundLoad;

/// <summary>
/// Two modes for bench/inbound.sh. <c>standin</c>: a minimal Twilio Messages API on loopback that takes the texts Vouch
/// sends (codes and confirmations), answers 201 with a message resource and counts them per recipient. <c>run</c>: N
/// clients post signed inbound <c>#verify</c> and <c>#confirm</c> texts to Vouch's Twilio webhook, then, once the replies
/// have drained, check through the API and the stand-in that every text was processed exactly once.
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: InboundLoad standin --port PORT --account AC… --token TOKEN\n" +
        "       InboundLoad run " + LoadOptions.Usage;

    private static async Task<int> Main(string[] args)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "standin" => await TwilioStandIn.RunAsync(BenchArgs.Parse(args[1..])),
                "run" => await new LoadRun(LoadOptions.Parse(BenchArgs.Parse(args[1..], "verbose"))).ExecuteAsync(),
                _ => throw new ArgumentException("the first argument is the mode: standin or run"),
            };
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"InboundLoad: {e.Message}\n{Usage}");
            return 2;
        }
    }
}
