namespace Capture.CaptureIngest.Domain;

/// <summary>Where a photo stands with its student. Stored as text.</summary>
public enum PhotoStatus
{
    /// <summary>Stored; its shoot number's check-in has not arrived yet (待绑定).</summary>
    PendingBinding,

    /// <summary>Bound to the registration checked in under its station, day and shoot number.</summary>
    Bound,

    /// <summary>Could not be bound safely: waits for a person (待人工处理). Never deleted automatically.</summary>
    Held,

    /// <summary>A person discarded it (wrong frame, test shot); kept in storage, never used.</summary>
    Discarded,
}

/// <summary>The standardisation verdict. Stored as text.</summary>
public enum Verdict
{
    /// <summary>Waiting for a worker.</summary>
    Pending,

    /// <summary>Standardised; every quality measure passed.</summary>
    Passed,

    /// <summary>Standardised, but at least one measure failed: retake.</summary>
    Failed,

    /// <summary>No standardised image could be made (no face, unreadable image): retake.</summary>
    Rejected,

    /// <summary>A capture-code frame (keyframe), read for its code: not a portrait, never standardised or accepted.</summary>
    Keyframe,
}
