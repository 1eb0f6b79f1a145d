namespace Capture.Registration.Domain;

/// <summary>One change of a registration's data: who, when, old and new value, and through what (a correction, a roster import).</summary>
public sealed class HistoryEntry
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();

    public Guid RegistrationId { get; private set; }

    public string Field { get; private set; } = "";

    public string? OldValue { get; private set; }

    public string? NewValue { get; private set; }

    public string ChangedBy { get; private set; } = "";

    public string Source { get; private set; } = "";

    public DateTimeOffset ChangedAt { get; private set; }

    public static HistoryEntry Create(Guid registrationId, string field, string? oldValue, string? newValue, string changedBy, string source, DateTimeOffset now) =>
        new() { RegistrationId = registrationId, Field = field, OldValue = oldValue, NewValue = newValue, ChangedBy = changedBy, Source = source, ChangedAt = now };
}
