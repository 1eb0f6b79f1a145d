namespace Capture.Web;

/// <summary>
/// The school admin's and the college's planning, payment and export pages' text: <c>Resources/SchoolStrings.resx</c>
/// (Chinese, the default) and <c>Resources/SchoolStrings.en.resx</c>.
/// </summary>
public sealed class SchoolStrings;
