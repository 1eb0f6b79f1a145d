using System.Reflection;
using Capture.AppHost.Hosting;
using Capture.Benchmarks;
using Capture.Testing;

if (args is [SpreadsheetReadBenchmark.ChildFlag, var variant, var file])
{
    return SpreadsheetReadBenchmark.RunChild(variant, file);
}

var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name)
    .ToList();

// Benchmarks that need no system run on their own.
if (args.Contains(PhotoCpuBenchmark.Name))
{
    Console.WriteLine($"== {PhotoCpuBenchmark.Name}: the standardisation's CPU cost vs libvips alone, in-process, no system");
    Console.WriteLine(PhotoCpuBenchmark.Run());
    return 0;
}

if (args.Contains(BlazeFaceRefineSweep.Name))
{
    Console.WriteLine(BlazeFaceRefineSweep.Run());
    return 0;
}

if (args.Contains(BlazeFaceEvaluation.Name))
{
    Console.WriteLine(BlazeFaceEvaluation.Run());
    return 0;
}

var selected = benchmarks.Where(b => args.Contains(b.Name)).ToList();
if (selected.Count == 0)
{
    Console.WriteLine("usage: dotnet run -c Release --project tests/Capture.Benchmarks -- <name> [<name> ...]");
    foreach (var b in benchmarks)
    {
        Console.WriteLine($"  {b.Name,-20} {b.Description}");
    }

    Console.WriteLine($"  {PhotoCpuBenchmark.Name,-20} the standardisation's CPU cost vs libvips alone, in-process, no system (no servers started)");
    Console.WriteLine($"  {BlazeFaceEvaluation.Name,-20} the two face detectors (BlazeFace, Haar) side by side on the test photos, and the calibration's figures (no servers)");
    Console.WriteLine($"  {BlazeFaceRefineSweep.Name,-20} BlazeFace's second look at several crop sizes, plain and mirrored (roll, score), and farther faces (no servers)");

    return args.Length == 0 ? 0 : 2;
}

if (selected.All(b => !b.NeedsSystem))
{
    foreach (var benchmark in selected)
    {
        Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
        Console.WriteLine(await benchmark.RunAsync(null!, CancellationToken.None));
    }

    return 0;
}

var directory = TestInfrastructure.NewDataDirectory("benchmark");
var log = new MemoryLogSink();
Console.WriteLine("starting the system (own servers, free ports)...");
var system = await CaptureSystem.StartAsync(new CaptureSystemOptions
{
    ForTests = true,
    DataDirectory = directory,
    SigningKey = TestTokens.SigningKey,
    Log = log,
});
try
{
    var context = new BenchmarkContext(system);
    foreach (var benchmark in selected)
    {
        Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
        var markdown = await benchmark.RunAsync(context, CancellationToken.None);
        Console.WriteLine(markdown);
    }
}
finally
{
    await system.StopAsync();
    Directory.Delete(directory, recursive: true);
}

return 0;
