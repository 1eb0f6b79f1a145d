using System.Text;
using Capture.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Capture.ServiceDefaults.Tests.Security;

public sealed class DevelopmentTokenTests
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes(new string('k', 32)));

    [Theory]
    [InlineData("college-staff", "sec-1", "10385", null, null, "college")]
    [InlineData("college-staff", "sec-1", null, "law", null, "school")]
    [InlineData("station-operator", "op-1", "10385", null, null, "venue")]
    [InlineData("school-admin", null, "10385", null, null, "subject")]
    [InlineData("student", "2021001", null, null, null, "school")]
    [InlineData("janitor", "x", "10385", null, null, "role")]
    public void A_token_request_missing_a_scope_its_role_needs_is_refused_naming_the_field(
        string role, string? subject, string? school, string? college, string? venue, string field)
    {
        var errors = DevelopmentTokens.Validate(new DevelopmentTokenRequest(role, subject, school, college, venue));
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public async Task An_issued_token_carries_role_and_scopes_and_validates_with_the_key()
    {
        var request = new DevelopmentTokenRequest("college-staff", "sec-1", "10385", "law", null);
        Assert.Empty(DevelopmentTokens.Validate(request));
        var token = DevelopmentTokens.Issue(request, Key);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = AuthenticationExtensions.DevelopmentIssuer,
            ValidAudience = AuthenticationExtensions.DefaultAudience,
            IssuerSigningKey = Key,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("college-staff", result.Claims[CaptureClaims.Role]);
        Assert.Equal("law", result.Claims[CaptureClaims.College]);
        Assert.Equal("10385", result.Claims[CaptureClaims.School]);

        var forged = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = AuthenticationExtensions.DevelopmentIssuer,
            ValidAudience = AuthenticationExtensions.DefaultAudience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('x', 32))),
        });
        Assert.False(forged.IsValid);
    }
}

public sealed class PersonalDataTests
{
    [Theory]
    [InlineData("11010519491231002X", "**************002X")]
    [InlineData("E12345678", "*****5678")]
    [InlineData("123", "***")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void An_id_number_shows_only_its_last_four_characters(string? id, string masked) =>
        Assert.Equal(masked, PersonalData.MaskIdNumber(id));
}
