namespace Capture.StationAgent.Tests;

/// <summary>Writes files into a hot folder the way a tethered camera does: at once, or slowly in chunks.</summary>
public sealed class Camera(string folder)
{
    private int counter;

    public string Folder => folder;

    public string NextName(string extension = ".JPG") => $"IMG_{Interlocked.Increment(ref counter):D4}{extension}";

    public async Task<string> ShootAsync(byte[] bytes, string? name = null)
    {
        var path = Path.Combine(folder, name ?? NextName());
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    /// <summary>Writes the file in <paramref name="chunks"/> pieces with a pause between them (a slow USB transfer).</summary>
    public async Task<string> ShootSlowlyAsync(byte[] bytes, int chunks, TimeSpan pause, string? name = null)
    {
        var path = Path.Combine(folder, name ?? NextName());
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
        var size = (bytes.Length + chunks - 1) / chunks;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            await file.WriteAsync(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)));
            await file.FlushAsync();
            await Task.Delay(pause);
        }

        return path;
    }
}
