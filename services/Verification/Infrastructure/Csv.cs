namespace Capture.Verification.Infrastructure;

/// <summary>RFC 4180 CSV lines through the one shared rule (ServiceDefaults <c>CsvText</c>): quoted when needed, formulas defused.</summary>
public static class Csv
{
    public static string Line(params string?[] fields) => Capture.ServiceDefaults.Export.CsvText.Line(fields);
}
