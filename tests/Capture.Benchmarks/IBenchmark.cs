namespace Capture.Benchmarks;

/// <summary>One load benchmark: runs against a started system and prints (and returns) its results as Markdown for docs/benchmarks.md.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    /// <summary>Whether the benchmark runs against the started system; one that does not gets no context.</summary>
    bool NeedsSystem => true;

    Task<string> RunAsync(BenchmarkContext context, CancellationToken cancellationToken);
}
