using Capture.ServiceDefaults.Export;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Validation;

namespace Capture.ServiceDefaults.Tests.Validation;

/// <summary>The shared input rules every service applies: text, names, paging, capture-code shape and CSV formulas.</summary>
public sealed class InputRulesTests
{
    [Theory]
    [InlineData("王伟")]
    [InlineData("欧阳娜娜")]
    [InlineData("阿依古丽·买买提")]
    [InlineData("𠀀𪚥")]
    [InlineData("Anne-Marie O'Neil Jr.")]
    [InlineData("Nguyễn Văn An")]
    [InlineData("ǸĀĪ")]
    [InlineData("محمد")]
    [InlineData("देवनागरी")]
    public void Names_of_any_script_with_their_separators_are_accepted(string name) => Assert.Null(TextRules.CheckName(name, 100));

    [Theory]
    [InlineData("王🙂", "letters only")]
    [InlineData("王★伟", "letters only")]
    [InlineData("王伟2", "letters only")]
    [InlineData("王\0伟", "NUL")]
    [InlineData("王\t伟", "Control characters")]
    [InlineData("王\u202E伟", "Text-direction")]
    [InlineData("\uE000", "letters only")]
    [InlineData("·-", "at least one letter")]
    public void Names_with_anything_but_letters_and_separators_are_refused_with_a_message(string name, string message) =>
        Assert.Contains(message, TextRules.CheckName(name, 100), StringComparison.Ordinal);

    [Theory]
    [InlineData("阿依古丽•买买提")]
    [InlineData("阿依古丽・买买提")]
    [InlineData("阿依古丽‧买买提")]
    [InlineData("阿依古丽･买买提")]
    [InlineData(" 阿依古丽∙买买提 ")]
    public void Look_alike_middle_dots_are_written_as_the_id_card_dot(string name)
    {
        Assert.Equal("阿依古丽·买买提", TextRules.NormalizeName(name));
        Assert.Null(TextRules.CheckName(name, 100));
    }

    [Fact]
    public void Length_is_counted_in_characters_as_postgresql_counts_them()
    {
        var rare = string.Concat(Enumerable.Repeat("𠀀", 10));
        Assert.Equal(20, rare.Length);
        Assert.Equal(10, TextRules.LengthOf(rare));
        Assert.Null(TextRules.CheckText(rare, 10));
        Assert.Contains("this has 11", TextRules.CheckText(rare + "a", 10), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\nb", false, "Control characters")]
    [InlineData("a\u2028b", true, "Control characters")]
    [InlineData("a\u2066b", true, "Text-direction")]
    public void Text_refuses_what_a_column_or_a_screen_cannot_show_faithfully(string text, bool multiline, string message) =>
        Assert.Contains(message, TextRules.CheckText(text, 100, multiline), StringComparison.Ordinal);

    [Fact]
    public void A_lone_surrogate_is_refused_and_a_pair_is_not()
    {
        // Built at run time: a lone surrogate in attribute data does not survive test discovery.
        Assert.Contains("lone UTF-16 surrogate", TextRules.CheckText("a" + (char)0xD800 + "b", 100), StringComparison.Ordinal);
        Assert.Contains("lone UTF-16 surrogate", TextRules.CheckName("王" + (char)0xDC00, 100), StringComparison.Ordinal);
        Assert.Null(TextRules.CheckText("a" + (char)0xD840 + (char)0xDC00 + "b", 100));
    }

    [Fact]
    public void Multiline_text_keeps_line_breaks_and_tabs() => Assert.Null(TextRules.CheckText("第一行\r\n\t第二行", 100, multiline: true));

    [Theory]
    [InlineData(null, null, 1, 100, true)]
    [InlineData(0, 10, 0, 10, false)]
    [InlineData(1, 0, 1, 1000, false)]
    [InlineData(1, 1001, 1, 1000, false)]
    [InlineData(2147484, 1000, 2147484, 1000, true)]
    [InlineData(2147485, 1000, 2147485, 1000, false)]
    [InlineData(int.MaxValue, 1, int.MaxValue, 1, true)]
    public void Pages_are_bounded_so_the_offset_never_overflows(int? page, int? size, int number, int expectedSize, bool valid)
    {
        var (checkedPage, errors) = Paging.Check(page, size, 100, 1000);
        Assert.Equal(valid, errors.Count == 0);
        Assert.Equal((number, expectedSize), (checkedPage.Number, checkedPage.Size));
        if (valid)
        {
            Assert.True(checkedPage.Skip >= 0);
        }
    }

    [Fact]
    public void A_capture_code_of_the_right_shape_passes_and_each_wrong_shape_is_named()
    {
        var code = new CaptureCodeSigner(new byte[32]).Issue(Guid.NewGuid(), 1);
        Assert.Null(CaptureCodeSigner.ShapeProblem(code));
        Assert.Contains("starts with 'C1'", CaptureCodeSigner.ShapeProblem("X" + code[1..]), StringComparison.Ordinal);
        Assert.Contains("has 49", CaptureCodeSigner.ShapeProblem(code[..^1]), StringComparison.Ordinal);
        Assert.Contains("only letters, digits", CaptureCodeSigner.ShapeProblem(code[..^1] + "+"), StringComparison.Ordinal);
        Assert.Contains("empty", CaptureCodeSigner.ShapeProblem(" "), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("+86 138", "'+86 138")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("法学院, 民商法", "\"法学院, 民商法\"")]
    [InlineData("王伟", "王伟")]
    [InlineData(null, "")]
    public void Csv_fields_are_quoted_and_formulas_defused(string? value, string expected) => Assert.Equal(expected, CsvText.Field(value));
}
