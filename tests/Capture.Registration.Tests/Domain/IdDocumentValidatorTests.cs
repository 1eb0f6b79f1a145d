using Capture.Registration.Domain;

namespace Capture.Registration.Tests.Domain;

public sealed class IdDocumentValidatorTests
{
    // 11010519491231002X is the standard's own example number.
    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("11010519491231002x")]
    [InlineData(" 110105 19491231002X ")]
    public void A_valid_resident_id_is_accepted_with_x_upper_case(string number)
    {
        var check = IdDocumentValidator.Validate(IdDocumentType.ResidentId, number);
        Assert.True(check.IsValid, check.Error);
        Assert.Equal("11010519491231002X", check.Number);
    }

    [Fact]
    public void A_generated_resident_id_passes_and_one_changed_digit_fails_the_check_digit()
    {
        var id = RosterData.ResidentIds(1)[0];
        Assert.True(IdDocumentValidator.Validate(IdDocumentType.ResidentId, id).IsValid);
        var wrong = id[..17] + (id[17] == '0' ? '1' : '0');
        var check = IdDocumentValidator.Validate(IdDocumentType.ResidentId, wrong);
        Assert.False(check.IsValid);
        Assert.Contains("check digit", check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1101051990023")] // February 30th
    [InlineData("1101051990133")] // month 13
    [InlineData("1101051890010")] // before 1900
    public void An_impossible_birth_date_is_refused(string first13)
    {
        var number = RosterData.ResidentId(first13 + "0012");
        var check = IdDocumentValidator.Validate(IdDocumentType.ResidentId, number);
        Assert.False(check.IsValid);
        Assert.Contains("birth date", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_birth_date_in_the_future_is_refused()
    {
        var number = RosterData.ResidentId("11010520300101001");
        Assert.Contains("birth date", IdDocumentValidator.Validate(IdDocumentType.ResidentId, number, new DateOnly(2025, 1, 1)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_legacy_15_digit_number_is_refused_with_a_message_saying_so()
    {
        var check = IdDocumentValidator.Validate(IdDocumentType.ResidentId, "110105491231002");
        Assert.False(check.IsValid);
        Assert.Contains("15-digit", check.Error, StringComparison.Ordinal);
        Assert.Contains("18-digit", check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1101051949123100")]
    [InlineData("11010519491231002Y")]
    [InlineData("A1010519491231002X")]
    [InlineData("99010519491231002X")]
    public void Malformed_resident_ids_are_refused(string number) =>
        Assert.False(IdDocumentValidator.Validate(IdDocumentType.ResidentId, number).IsValid);

    [Theory]
    [InlineData(IdDocumentType.HongKongMacaoResidencePermit, "81000019900101001")]
    [InlineData(IdDocumentType.HongKongMacaoResidencePermit, "82000019900101001")]
    [InlineData(IdDocumentType.TaiwanResidencePermit, "83000019900101001")]
    [InlineData(IdDocumentType.ForeignPermanentResidentId, "93000019900101001")]
    public void Residence_permits_and_the_2023_foreigner_card_are_accepted_with_their_check_digit(string type, string first17)
    {
        var number = RosterData.ResidentId(first17);
        Assert.True(IdDocumentValidator.Validate(type, number).IsValid);
        var wrong = number[..17] + (number[17] == '0' ? '1' : '0');
        Assert.False(IdDocumentValidator.Validate(type, wrong).IsValid);
    }

    [Fact]
    public void A_permit_number_with_the_wrong_prefix_or_given_as_resident_id_is_refused_with_the_right_type_named()
    {
        var hongKong = RosterData.ResidentId("81000019900101001");
        Assert.False(IdDocumentValidator.Validate(IdDocumentType.TaiwanResidencePermit, hongKong).IsValid);
        Assert.Contains("港澳居民居住证", IdDocumentValidator.Validate(IdDocumentType.ResidentId, hongKong).Error, StringComparison.Ordinal);
        Assert.Contains("台湾居民居住证", IdDocumentValidator.Validate(IdDocumentType.ResidentId, RosterData.ResidentId("83000019900101001")).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("USA123456789012", true)]
    [InlineData("usa123456789012", true)]
    [InlineData("US1234567890123", false)]
    [InlineData("USA12345678901", false)]
    public void The_2017_foreigner_permanent_residence_card_is_three_letters_and_twelve_digits(string number, bool valid) =>
        Assert.Equal(valid, IdDocumentValidator.Validate(IdDocumentType.ForeignPermanentResidentId, number).IsValid);

    [Theory]
    [InlineData("E12345678", true)]
    [InlineData("x1234567", true)]
    [InlineData("1234", false)]
    [InlineData("ABCDEFGH", false)]
    [InlineData("E1234-678", false)]
    public void Passports_get_a_basic_format_check(string number, bool valid) =>
        Assert.Equal(valid, IdDocumentValidator.Validate(IdDocumentType.Passport, number).IsValid);

    [Theory]
    [InlineData("身份证", IdDocumentType.ResidentId)]
    [InlineData("", IdDocumentType.ResidentId)]
    [InlineData("港澳居民居住证", IdDocumentType.HongKongMacaoResidencePermit)]
    [InlineData("护照", IdDocumentType.Passport)]
    [InlineData("驾驶证", null)]
    public void Document_types_are_read_from_the_labels_colleges_use(string label, string? expected) =>
        Assert.Equal(expected, IdDocumentType.Parse(label));
}
