namespace Capture.ServiceDefaults.Security;

/// <summary>Masks personal data before it reaches a log line or a screen that may not see it whole (PIPL).</summary>
public static class PersonalData
{
    /// <summary>Keeps the last four characters of an ID number: <c>110105199001011234</c> → <c>**************1234</c>.</summary>
    public static string MaskIdNumber(string? idNumber)
    {
        if (string.IsNullOrEmpty(idNumber))
        {
            return string.Empty;
        }

        const int visible = 4;
        return idNumber.Length <= visible
            ? new string('*', idNumber.Length)
            : string.Concat(new string('*', idNumber.Length - visible), idNumber.AsSpan(idNumber.Length - visible));
    }
}
