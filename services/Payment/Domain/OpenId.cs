namespace Capture.Payment.Domain;

/// <summary>A WeChat user's openid (用户在 appid 下的唯一标识) as WeChat Pay accepts it in <c>payer.openid</c>: 1 to 128 of A-Z, a-z, 0-9, '_' and '-'.</summary>
public static class OpenId
{
    public const int MaxLength = 128;

    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= MaxLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
