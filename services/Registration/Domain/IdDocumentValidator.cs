using System.Globalization;

namespace Capture.Registration.Domain;

/// <summary>The outcome of checking an ID document: the normalized number (upper case, trimmed), or why it is refused.</summary>
public sealed record IdDocumentCheck(string? Number, string? Error)
{
    public bool IsValid => Error is null;
}

/// <summary>
/// Checks ID document numbers. The ID number links the photo to the diploma record at CHSI, so a wrong one is
/// caught here, with a message a secretary can act on, rather than months later at upload.
/// </summary>
public static class IdDocumentValidator
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    // Province-level address codes of the mainland (GB/T 2260) and 71 (Taiwan, in mainland coding).
    private static readonly HashSet<string> Provinces =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    ];

    public static IdDocumentCheck Validate(string type, string? raw, DateOnly? today = null)
    {
        var number = (raw ?? string.Empty).Trim().Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (number.Length == 0)
        {
            return Fail("The ID number is missing.");
        }

        var now = today ?? DateOnly.FromDateTime(DateTime.UtcNow);
        return type switch
        {
            IdDocumentType.ResidentId => ResidentId(number, now),
            IdDocumentType.HongKongMacaoResidencePermit => Permit(number, now, ["810000", "820000"], "港澳居民居住证 (Hong Kong/Macao residence permit) numbers start with 810000 or 820000"),
            IdDocumentType.TaiwanResidencePermit => Permit(number, now, ["830000"], "台湾居民居住证 (Taiwan residence permit) numbers start with 830000"),
            IdDocumentType.ForeignPermanentResidentId => ForeignPermanentResident(number, now),
            IdDocumentType.Passport => Passport(number),
            _ => Fail($"Unknown ID document type '{type}': use one of {IdDocumentType.Choices}."),
        };
    }

    /// <summary>The GB 11643-1999 check character for the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    private static IdDocumentCheck ResidentId(string number, DateOnly today)
    {
        if (number.Length == 15 && number.All(char.IsAsciiDigit))
        {
            return Fail("This is a 15-digit ID number of the old kind (issued before 1999), which CHSI no longer accepts: give the 18-digit number on the student's current ID card.");
        }

        if (number.StartsWith("81", StringComparison.Ordinal) || number.StartsWith("82", StringComparison.Ordinal))
        {
            return Fail("This number is a Hong Kong/Macao residence permit (starts with 81/82): set the ID type to 港澳居民居住证.");
        }

        if (number.StartsWith("83", StringComparison.Ordinal))
        {
            return Fail("This number is a Taiwan residence permit (starts with 83): set the ID type to 台湾居民居住证.");
        }

        var shape = EighteenCharacterShape(number, today, "居民身份证 (resident ID)");
        if (shape is not null)
        {
            return Fail(shape);
        }

        return Provinces.Contains(number[..2])
            ? new IdDocumentCheck(number, null)
            : Fail($"The ID number starts with '{number[..2]}', which is not a province code: check the first digits against the ID card.");
    }

    private static IdDocumentCheck Permit(string number, DateOnly today, string[] prefixes, string rule)
    {
        var shape = EighteenCharacterShape(number, today, "residence permit");
        if (shape is not null)
        {
            return Fail(shape);
        }

        return prefixes.Any(p => number.StartsWith(p, StringComparison.Ordinal)) ? new IdDocumentCheck(number, null) : Fail(rule + ".");
    }

    private static IdDocumentCheck ForeignPermanentResident(string number, DateOnly today)
    {
        if (number.Length == 15)
        {
            return number[..3].All(char.IsAsciiLetterUpper) && number[3..].All(char.IsAsciiDigit)
                ? new IdDocumentCheck(number, null)
                : Fail("A 15-character 外国人永久居留身份证 number is 3 letters (nationality) followed by 12 digits.");
        }

        if (number.Length == 18 && number[0] == '9')
        {
            var shape = EighteenCharacterShape(number, today, "外国人永久居留身份证");
            return shape is null ? new IdDocumentCheck(number, null) : Fail(shape);
        }

        return Fail("A 外国人永久居留身份证 (foreigner's permanent residence ID) number has 15 characters (3 letters + 12 digits) or 18 characters starting with 9.");
    }

    private static IdDocumentCheck Passport(string number)
    {
        if (number.Length is < 5 or > 17 || !number.All(char.IsAsciiLetterOrDigit))
        {
            return Fail("A passport number has 5 to 17 letters and digits, without spaces or punctuation.");
        }

        return number.Any(char.IsAsciiDigit) ? new IdDocumentCheck(number, null) : Fail("A passport number contains digits: check it against the passport.");
    }

    /// <summary>18 characters, 17 digits then a digit or X, a real birth date, and the right check character; null when all hold.</summary>
    private static string? EighteenCharacterShape(string number, DateOnly today, string what)
    {
        if (number.Length != 18)
        {
            return $"A {what} number has 18 characters; this one has {number.Length}.";
        }

        if (number.AsSpan(0, 17).ContainsAnyExcept("0123456789"))
        {
            return $"A {what} number is 17 digits followed by a digit or X.";
        }

        var last = number[17];
        if (!char.IsAsciiDigit(last) && last != 'X')
        {
            return $"The last character of a {what} number is a digit or X, not '{last}'.";
        }

        if (!DateOnly.TryParseExact(number.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900 || birth > today)
        {
            return $"Characters 7-14 of the ID number ({number.Substring(6, 8)}) are not a real birth date: check the number against the ID card.";
        }

        var expected = CheckCharacter(number);
        return expected == last
            ? null
            : "The check digit (last character) does not match the other 17: a digit was probably mistyped. Check the number against the ID card.";
    }

    private static IdDocumentCheck Fail(string message) => new(null, message);
}
