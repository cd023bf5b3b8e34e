using Vouch.Server.Hosting;

if (CommandLine.IsVerb(args))
{
    return await CommandLine.RunAsync(args, Console.IsInputRedirected ? Console.In : null, Console.Out, Console.Error);
}

var app = VouchApp.Build(args);
VouchApp.Configure(app);
await VouchApp.PrepareAsync(app, CancellationToken.None);
await app.RunAsync();
return 0;

/// <summary>Entry point; public so the tests' WebApplicationFactory can find it.</summary>
public partial class Program;
