namespace Capture.Verification.Domain;

/// <summary>Where a student's verification (校对) stands. Stored as text; shown kebab-case (<c>expired-unverified</c>).</summary>
public enum TaskState
{
    /// <summary>Registration approved, no accepted photo yet: the student has nothing to check.</summary>
    AwaitingPhoto,

    /// <summary>Photo and data shown to the student, who may confirm or dispute once before the deadline.</summary>
    Open,

    /// <summary>The student confirmed: this photo and data go to CHSI.</summary>
    Confirmed,

    /// <summary>The student said the photo is wrong: waits for a retake (a newer PhotoAccepted reopens the task).</summary>
    DisputedPhoto,

    /// <summary>The student said the data is wrong: waits for Registration's correction (StudentDataCorrected reopens the task).</summary>
    DisputedData,

    /// <summary>The deadline passed without a decision; exported only if the school asks for it.</summary>
    ExpiredUnverified,
}

public static class TaskStates
{
    public static string Kebab(this TaskState state) => state switch
    {
        TaskState.AwaitingPhoto => "awaiting-photo",
        TaskState.Open => "open",
        TaskState.Confirmed => "confirmed",
        TaskState.DisputedPhoto => "disputed-photo",
        TaskState.DisputedData => "disputed-data",
        TaskState.ExpiredUnverified => "expired-unverified",
        _ => state.ToString(),
    };
}
