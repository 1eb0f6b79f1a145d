using System.Globalization;
using System.Text;

namespace Capture.ServiceDefaults.Validation;

/// <summary>
/// The rules every string a caller sends must pass before the database sees it, in one place for every service: a
/// maximum length counted the way PostgreSQL counts <c>varchar(n)</c> (Unicode code points, so a rare character of
/// CJK Extension B counts once), no control characters (NUL included: PostgreSQL refuses it in text), no lone
/// surrogates and no bidirectional overrides (they make a name read differently on screen than it is stored).
/// Names (<see cref="CheckName"/>) are stricter: letters of any script, combining marks, spaces, <c>-</c>, <c>'</c>,
/// <c>.</c> and the middle dot of minority and foreign names (<c>·</c> U+00B7). Look-alike dots people type instead
/// (<c>•</c> U+2022, <c>・</c> U+30FB, <c>‧</c> U+2027, <c>･</c> U+FF65, <c>∙</c> U+2219, <c>⋅</c> U+22C5) are
/// accepted and stored as U+00B7 by <see cref="NormalizeName"/>, the spelling on the resident ID card.
/// </summary>
public static class TextRules
{
    public const char MiddleDot = '\u00B7';

    private static readonly char[] MiddleDotVariants = ['\u2022', '\u30FB', '\u2027', '\uFF65', '\u2219', '\u22C5'];

    /// <summary>Characters as PostgreSQL counts them (code points).</summary>
    public static int LengthOf(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Why <paramref name="value"/> is not acceptable free text of at most <paramref name="maxLength"/> characters, or
    /// null when it is (null and empty are for the caller to judge). Line breaks and tabs only when
    /// <paramref name="multiline"/> (reasons, notes, instructions).
    /// </summary>
    public static string? CheckText(string? value, int maxLength, bool multiline = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if ((TooLong(value, maxLength) ?? Broken(value)) is { } problem)
        {
            return problem;
        }

        foreach (var rune in value.EnumerateRunes())
        {
            if (Refused(rune, multiline) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="value"/> is not a person's name of at most <paramref name="maxLength"/> characters, or
    /// null when it is. Judged after <see cref="NormalizeName"/>, so look-alike middle dots pass.
    /// </summary>
    public static string? CheckName(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        value = NormalizeName(value);
        if ((TooLong(value, maxLength) ?? Broken(value)) is { } problem)
        {
            return problem;
        }

        var letters = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (Refused(rune, multiline: false) is { } reason)
            {
                return reason;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsLetter(rune))
            {
                letters++;
            }
            else if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                     || rune.Value is ' ' or MiddleDot or '-' or '\'' or '.' or '\u2019')
            {
                // Marks (Devanagari, Arabic, Vietnamese), the space and the name separators.
            }
            else
            {
                return $"A name holds letters only (any script, with · between the parts of a minority or foreign name); '{Show(rune)}' ({Describe(rune)}) is not accepted: write the name as on the ID document.";
            }
        }

        return letters == 0 ? "A name has at least one letter." : null;
    }

    /// <summary>Trims, and writes look-alike middle dots as U+00B7 (·), the spelling on the resident ID card.</summary>
    public static string NormalizeName(string value)
    {
        var trimmed = value.Trim();
        return trimmed.IndexOfAny(MiddleDotVariants) < 0
            ? trimmed
            : string.Create(trimmed.Length, trimmed, (span, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    span[i] = Array.IndexOf(MiddleDotVariants, source[i]) >= 0 ? MiddleDot : source[i];
                }
            });
    }

    private static string? TooLong(string value, int maxLength)
    {
        // A UTF-16 length within the limit is within it in code points too: count runes only when it might not be.
        if (value.Length <= maxLength)
        {
            return null;
        }

        var length = LengthOf(value);
        return length > maxLength ? $"At most {maxLength} characters are accepted; this has {length}." : null;
    }

    private static string? Broken(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return "The text has a broken character (a lone UTF-16 surrogate): send it as valid UTF-8.";
            }
        }

        return null;
    }

    private static string? Refused(Rune rune, bool multiline)
    {
        if (multiline && rune.Value is '\n' or '\r' or '\t')
        {
            return null;
        }

        if (Rune.IsControl(rune) || rune.Value is '\u2028' or '\u2029')
        {
            return $"Control characters are not accepted (found {Describe(rune)}{(rune.Value == 0 ? ", NUL" : "")}): {(multiline ? "send plain text" : "send one line of plain text, without line breaks or tabs")}.";
        }

        if (rune.Value is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 or 0x200E or 0x200F or 0x061C)
        {
            return $"Text-direction controls are not accepted (found {Describe(rune)}): they make the text read differently on screen than it is stored.";
        }

        return null;
    }

    private static string Describe(Rune rune) => $"U+{rune.Value:X4}";

    private static string Show(Rune rune) => Rune.IsControl(rune) ? Describe(rune) : rune.ToString();
}
