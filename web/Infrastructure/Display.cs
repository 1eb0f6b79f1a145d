using Microsoft.Extensions.Localization;

namespace Capture.Web.Infrastructure;

/// <summary>How pages show times and the services' codes: Beijing time, and codes in the reader's language.</summary>
public static class Display
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>Beijing wall-clock time, as every notice and session gives it (the server's own zone is irrelevant).</summary>
    public static string Time(DateTimeOffset? at, string format = "yyyy-MM-dd HH:mm") =>
        at is { } value ? value.ToOffset(Beijing).ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "";

    /// <summary>A code such as a degree level (<c>master</c>) in words, or the code itself when there are none for it.</summary>
    public static string Code(this IStringLocalizer localizer, string prefix, string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return "";
        }

        var text = localizer[prefix + code];
        return text.ResourceNotFound ? code : text.Value;
    }
}
