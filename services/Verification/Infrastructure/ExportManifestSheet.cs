using System.IO.Compression;
using NPOI.SS.UserModel;
using NPOI.XSSF.Streaming;
using NPOI.XSSF.UserModel;

namespace Capture.Verification.Infrastructure;

/// <summary>
/// <c>manifest.xlsx</c> of an export zip: the manifest's rows, every cell text (an 18-digit ID number must not become a
/// number), in a streamed workbook (NPOI SXSSF: a window of rows in memory, the rest in NPOI's temporary sheet file, which
/// <see cref="Dispose"/> deletes). Written byte-stable, so the zip stays deterministic: the document's creation time is a
/// constant, and the workbook NPOI writes (whose zip entries carry the time of writing) is copied part by part into a
/// zip of fixed timestamps.
/// </summary>
public sealed class ExportManifestSheet : IDisposable
{
    private const int RowWindow = 100;
    private static readonly DateTime Created = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly SXSSFWorkbook workbook;
    private readonly ISheet sheet;
    private int rows;

    public ExportManifestSheet(IReadOnlyList<string?> header)
    {
        var model = new XSSFWorkbook();
        model.GetProperties().CoreProperties.Created = Created;
        workbook = new SXSSFWorkbook(model, RowWindow);
        sheet = workbook.CreateSheet("manifest");
        Add(header);
    }

    public void Add(IReadOnlyList<string?> values)
    {
        var row = sheet.CreateRow(rows++);
        for (var i = 0; i < values.Count; i++)
        {
            row.CreateCell(i, CellType.String).SetCellValue(values[i] ?? "");
        }
    }

    /// <summary>Writes the workbook as entry <paramref name="entryName"/> of <paramref name="zip"/>, through temporary files in <paramref name="directory"/>.</summary>
    public async Task WriteAsync(ZipArchive zip, string entryName, DateTimeOffset entryTime, string directory, CancellationToken ct)
    {
        var raw = Path.Combine(directory, $"capture-manifest-{Guid.NewGuid():N}.xlsx");
        try
        {
            using (var output = new FileStream(raw, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                workbook.Write(output); // closes the stream
            }

            await using var input = new FileStream(raw, FileMode.Open, FileAccess.Read, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await using var stable = new FileStream(raw + ".stable", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await using (var source = new ZipArchive(input, ZipArchiveMode.Read, leaveOpen: true))
            await using (var target = new ZipArchive(stable, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var part in source.Entries)
                {
                    var copy = target.CreateEntry(part.FullName, CompressionLevel.Optimal);
                    copy.LastWriteTime = entryTime;
                    await using var from = await part.OpenAsync(ct);
                    await using var to = await copy.OpenAsync(ct);
                    await from.CopyToAsync(to, ct);
                }
            }

            stable.Position = 0;
            var entry = zip.CreateEntry(entryName, CompressionLevel.NoCompression); // an xlsx is compressed already
            entry.LastWriteTime = entryTime;
            await using var into = await entry.OpenAsync(ct);
            await stable.CopyToAsync(into, ct);
        }
        finally
        {
            File.Delete(raw); // when writing failed before the copy opened it (deleting a missing file is no error)
        }
    }

    public void Dispose() => workbook.Dispose();
}
