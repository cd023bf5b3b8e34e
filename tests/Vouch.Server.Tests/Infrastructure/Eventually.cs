namespace Vouch.Server.Tests.Infrastructure;

/// <summary>
/// Reads what the server's background worker writes until it shows the expected state, for at most
/// <c>within</c> (15 s by default): the worker records outcomes on its own tasks, so a test can only look again. A
/// failure names the last state read. <c>between</c> runs before each new look (advance the clock, wake the worker).
/// </summary>
public static class Eventually
{
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<T, string> failure, TimeSpan? within = null, Action? between = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, failure(value));
            between?.Invoke();
            await Task.Delay(50);
        }
    }
}
