using System.Security.Cryptography;
using Capture.Registration.Domain;

namespace Capture.Registration.Tests.Domain;

public sealed class CaptureCodeSignerTests
{
    private readonly CaptureCodeSigner signer = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_code_reads_back_as_its_registration_and_version_and_is_compact_without_personal_data()
    {
        var id = Guid.CreateVersion7();
        var code = signer.Issue(id, 3);
        Assert.Equal(new CaptureCodeClaim(id, 3), signer.Read(code));
        Assert.True(code.Length <= 64, code);
        Assert.DoesNotContain(id.ToString("N"), code, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_code_signed_with_another_key_is_refused()
    {
        var forger = new CaptureCodeSigner(RandomNumberGenerator.GetBytes(32));
        Assert.Null(signer.Read(forger.Issue(Guid.CreateVersion7(), 1)));
    }

    [Fact]
    public void Changing_any_character_of_a_code_makes_it_invalid()
    {
        var code = signer.Issue(Guid.CreateVersion7(), 1);
        for (var i = 0; i < code.Length; i++)
        {
            var replacement = code[i] == 'A' ? 'B' : 'A';
            var tampered = code[..i] + replacement + code[(i + 1)..];
            Assert.Null(signer.Read(tampered));
        }
    }

    [Fact]
    public void Raising_the_version_inside_a_code_is_detected()
    {
        var id = Guid.CreateVersion7();
        var code = signer.Issue(id, 1);
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(code.AsSpan(2));
        bytes[19] = 2; // version 1 -> 2, signature unchanged
        Assert.Null(signer.Read("C1" + System.Buffers.Text.Base64Url.EncodeToString(bytes)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("C1")]
    [InlineData("not a capture code")]
    public void Garbage_is_not_a_code(string? text) => Assert.Null(signer.Read(text));

    [Fact]
    public void Revoking_and_reissuing_moves_the_registration_to_a_new_version()
    {
        var now = DateTimeOffset.UtcNow;
        var campaign = Campaign.Create("10730", new CampaignTerms("兰州大学", "2025届", ["硕士"], ["全日制"], now, now.AddDays(9), now.AddDays(5), 2000, 40), now);
        var r = StudentRegistration.Register(campaign, new StudentData("1", "王伟", IdDocumentType.ResidentId, "11010519491231002X", DegreeLevels.Master, StudyModes.FullTime, "law", "法学院", null, null, null, null, false), now);
        r.Approve("x", now);
        Assert.True(r.HasCaptureCode);
        r.RevokeCaptureCode(now);
        Assert.False(r.HasCaptureCode);
        r.ReissueCaptureCode();
        Assert.True(r.HasCaptureCode);
        Assert.Equal(2, r.CaptureCodeVersion);
    }
}
