namespace Capture.Registration.Domain;

/// <summary>
/// Why one roster row was refused: the line (the spreadsheet's row number, or the 1-based position in a REST
/// roster), the field as the caller named it, and what to do about it.
/// </summary>
public sealed record RowError(int Line, string? StudentNumber, string Field, string Message);
