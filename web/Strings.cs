namespace Capture.Web;

/// <summary>The pages' text: <c>Resources/Strings.resx</c> (Chinese, the default) and <c>Resources/Strings.en.resx</c>.</summary>
public sealed class Strings;
