namespace Capture.StationAgent.Core;

/// <summary>Where a shot is on its way to the server.</summary>
public enum ShotState
{
    /// <summary>Recorded in the journal, not sent yet.</summary>
    Seen,

    /// <summary>Being sent (or was, when the agent stopped): on restart the server is asked before it is sent again.</summary>
    Uploading,

    /// <summary>The server confirmed it with the same SHA-256; the file may move to sent/.</summary>
    Stored,

    /// <summary>The server refused it for good (413/415/422/400/403/404): kept where it is, reported.</summary>
    Refused,

    /// <summary>Taken before any student was scanned or a shoot number typed: kept, not sent (nobody can say whose it is).</summary>
    Unassigned,

    /// <summary>Not a JPEG or PNG: reported and kept.</summary>
    NotImage,

    /// <summary>The file disappeared or changed after it was recorded: reported, never sent as something else.</summary>
    Lost,
}

/// <summary>One file from the camera, as the journal knows it. 拍摄号 = shoot number; shot index counts per shoot number.</summary>
public sealed record Shot(
    long Id,
    string Path,
    string FileName,
    long Size,
    long FileTicks,
    string? ShootNumber,
    int ShotIndex,
    bool Keyframe,
    string? Sha256,
    string? ContentType,
    DateTimeOffset TakenAt,
    DateTimeOffset SeenAt,
    ShotState State,
    Guid? ServerPhotoId,
    string? Verdict,
    string? FailedMeasures,
    string? SentPath,
    string? Error,
    int Attempts);
