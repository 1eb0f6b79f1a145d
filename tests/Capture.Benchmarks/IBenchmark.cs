namespace Capture.Benchmarks;

/// <summary>One load benchmark: runs against a started system and prints (and returns) its results as Markdown for docs/benchmarks.md.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task<string> RunAsync(BenchmarkContext context, CancellationToken cancellationToken);
}
