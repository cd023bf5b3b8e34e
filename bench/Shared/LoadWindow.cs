using System.Diagnostics;

namespace Bench;

/// <summary>
/// The time line of a load run: one clock, a warm-up, then the measured period. An operation counts when it starts after
/// the warm-up and ends before the measured period does; clients start no new work once the period is over.
/// </summary>
internal sealed class LoadWindow
{
    private LoadWindow(double warmupSeconds, double durationSeconds)
    {
        MeasureFrom = TimeSpan.FromSeconds(warmupSeconds);
        MeasureUntil = MeasureFrom + TimeSpan.FromSeconds(durationSeconds);
    }

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public TimeSpan MeasureFrom { get; }

    public TimeSpan MeasureUntil { get; }

    /// <summary>
    /// Starts the clock and runs <paramref name="client"/>(i, window) for each of <paramref name="clients"/> clients on the
    /// thread pool until every one has returned; answers the window and how many seconds the whole load took.
    /// </summary>
    public static async Task<(LoadWindow Window, double LoadSeconds)> RunAsync(int clients, double warmupSeconds, double durationSeconds,
        Func<int, LoadWindow, Task> client)
    {
        var window = new LoadWindow(warmupSeconds, durationSeconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(() => client(i, window))));
        return (window, window.Clock.Elapsed.TotalSeconds);
    }
}
