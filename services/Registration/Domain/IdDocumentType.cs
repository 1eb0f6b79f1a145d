namespace Capture.Registration.Domain;

/// <summary>The identity documents a registration may carry (证件类型). Stored and sent as the kebab-case code.</summary>
public static class IdDocumentType
{
    /// <summary>居民身份证, GB 11643-1999, 18 characters.</summary>
    public const string ResidentId = "resident-id";

    /// <summary>港澳居民居住证: 18 characters, address code 810000 (Hong Kong) or 820000 (Macao).</summary>
    public const string HongKongMacaoResidencePermit = "hk-macao-residence-permit";

    /// <summary>台湾居民居住证: 18 characters, address code 830000.</summary>
    public const string TaiwanResidencePermit = "taiwan-residence-permit";

    /// <summary>外国人永久居留身份证: the 2017 card (3 letters + 12 digits) or the 2023 card (18 characters starting with 9).</summary>
    public const string ForeignPermanentResidentId = "foreign-permanent-resident-id";

    /// <summary>护照.</summary>
    public const string Passport = "passport";

    public static IReadOnlyList<string> All { get; } =
        [ResidentId, HongKongMacaoResidencePermit, TaiwanResidencePermit, ForeignPermanentResidentId, Passport];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        [ResidentId] = ResidentId, ["居民身份证"] = ResidentId, ["身份证"] = ResidentId, ["中华人民共和国居民身份证"] = ResidentId,
        [HongKongMacaoResidencePermit] = HongKongMacaoResidencePermit, ["港澳居民居住证"] = HongKongMacaoResidencePermit,
        [TaiwanResidencePermit] = TaiwanResidencePermit, ["台湾居民居住证"] = TaiwanResidencePermit,
        [ForeignPermanentResidentId] = ForeignPermanentResidentId, ["外国人永久居留身份证"] = ForeignPermanentResidentId,
        ["外国人永久居留证"] = ForeignPermanentResidentId,
        [Passport] = Passport, ["护照"] = Passport,
    };

    /// <summary>The code for a value, or the default (resident ID) when the value is empty; null when unknown.</summary>
    public static string? Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? ResidentId : Aliases.TryGetValue(value.Trim(), out var code) ? code : null;

    public static string Choices => "居民身份证, 港澳居民居住证, 台湾居民居住证, 外国人永久居留身份证, 护照";
}
