namespace Capture.Scheduling.Domain;

public enum SessionKind
{
    /// <summary>A planned capture session that colleges are allocated to.</summary>
    Regular = 0,

    /// <summary>A makeup (补拍) session with a fixed number of places that students book themselves.</summary>
    Makeup = 1,
}
