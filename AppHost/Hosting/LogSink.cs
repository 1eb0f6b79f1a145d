namespace Capture.AppHost.Hosting;

/// <summary>Where the orchestrator's own messages and every child's output lines go.</summary>
public interface ILogSink
{
    void Write(string resource, string line, bool isError);
}

/// <summary>Writes <c>[resource] line</c>, each resource in its own colour on a terminal.</summary>
public sealed class ConsoleLogSink : ILogSink
{
    private static readonly string[] Colours = ["\u001b[36m", "\u001b[32m", "\u001b[33m", "\u001b[35m", "\u001b[34m", "\u001b[96m", "\u001b[92m", "\u001b[93m", "\u001b[95m"];
    private readonly Dictionary<string, string> assigned = [];
    private readonly bool colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private readonly Lock gate = new();

    public void Write(string resource, string line, bool isError)
    {
        lock (gate)
        {
            if (!colour)
            {
                Console.Out.WriteLine($"[{resource}] {line}");
                return;
            }

            if (!assigned.TryGetValue(resource, out var c))
            {
                c = Colours[assigned.Count % Colours.Length];
                assigned[resource] = c;
            }

            Console.Out.WriteLine($"{c}[{resource}]\u001b[0m {(isError ? "\u001b[31m" + line + "\u001b[0m" : line)}");
        }
    }
}

/// <summary>Keeps lines in memory (tests print them when something fails) and optionally forwards them.</summary>
public sealed class MemoryLogSink(ILogSink? next = null) : ILogSink
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return lines.ToList();
            }
        }
    }

    public void Write(string resource, string line, bool isError)
    {
        lock (lines)
        {
            lines.Add($"[{resource}] {line}");
        }

        next?.Write(resource, line, isError);
    }
}
