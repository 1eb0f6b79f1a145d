namespace Capture.Registration.Domain;

/// <summary>Degree levels (培养层次) a campaign can target, as codes with the labels colleges write in their sheets.</summary>
public static class DegreeLevels
{
    public const string Doctoral = "doctoral";
    public const string Master = "master";
    public const string Bachelor = "bachelor";
    public const string Associate = "associate";

    public static IReadOnlyList<string> All { get; } = [Doctoral, Master, Bachelor, Associate];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        [Doctoral] = Doctoral, ["博士"] = Doctoral, ["博士研究生"] = Doctoral, ["doctor"] = Doctoral, ["phd"] = Doctoral,
        [Master] = Master, ["硕士"] = Master, ["硕士研究生"] = Master, ["masters"] = Master,
        [Bachelor] = Bachelor, ["本科"] = Bachelor, ["本科生"] = Bachelor, ["undergraduate"] = Bachelor,
        [Associate] = Associate, ["专科"] = Associate, ["高职"] = Associate,
    };

    public static string? Parse(string? value) =>
        value is not null && Aliases.TryGetValue(value.Trim(), out var code) ? code : null;

    public static string Chinese(string code) => code switch
    {
        Doctoral => "博士",
        Master => "硕士",
        Bachelor => "本科",
        Associate => "专科",
        _ => code,
    };

    public static string Choices => "博士 (doctoral), 硕士 (master), 本科 (bachelor), 专科 (associate)";
}
