using System.Globalization;

namespace Capture.Web.Infrastructure;

/// <summary>
/// Money and time as the school and college pages show and send them: fen (分) as yuan with two decimals, and
/// Asia/Shanghai wall-clock times for people (a <c>datetime-local</c> field is read as Beijing time, whatever the
/// browser's or the server's zone).
/// </summary>
public static class AdminFormat
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    public static string Yuan(long? fen) => fen is { } f ? Yuan(f) : "";

    /// <summary>Yuan typed by a person as whole fen; null when it has more than two decimals (money is never a float).</summary>
    public static long? Fen(decimal? yuan) => yuan is { } y && decimal.Round(y, 2) == y ? (long)(y * 100) : null;

    public static string When(DateTimeOffset? at) => at?.ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A wall-clock time typed in a <c>datetime-local</c> field, as a Beijing instant.</summary>
    public static DateTimeOffset? FromBeijing(DateTime? local) =>
        local is { } l ? new DateTimeOffset(DateTime.SpecifyKind(l, DateTimeKind.Unspecified), Beijing) : null;

    public static DateTime ToBeijing(DateTimeOffset at) => at.ToOffset(Beijing).DateTime;

    /// <summary>Minutes since midnight of an <c>HH:mm</c> time as the services write it.</summary>
    public static int Minutes(string hhmm) =>
        TimeOnly.TryParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t.Hour * 60 + t.Minute : 0;

    /// <summary>A refusal found before calling a service, shown like the service's own: next to the field.</summary>
    public static ApiProblem Invalid(string field, string message) =>
        new(400, message, null, "invalid", new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { [field] = [message] }, null);

    public static string Pct(int part, int whole) =>
        whole <= 0 ? "0" : Math.Min(100, part * 100.0 / whole).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A refusal's machine-readable word: <c>code</c>, or the <c>reason</c> extension Payment, Scheduling and Verification use.</summary>
    public static string? Reason(ApiProblem problem) =>
        problem.Code ?? (problem.Body is { } body && body.TryGetProperty("reason", out var reason) && reason.ValueKind == System.Text.Json.JsonValueKind.String ? reason.GetString() : null);
}
