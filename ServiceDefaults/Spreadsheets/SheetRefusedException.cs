namespace Capture.ServiceDefaults.Spreadsheets;

/// <summary>A sheet refused on purpose (a limit, a zip bomb), with the message the person sees.</summary>
internal sealed class SheetRefusedException(string message) : Exception(message);
