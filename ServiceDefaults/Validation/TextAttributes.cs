using System.ComponentModel.DataAnnotations;

namespace Capture.ServiceDefaults.Validation;

/// <summary>
/// Free text of at most <c>maxLength</c> characters (its column's size) without control characters: codes, class
/// names, venue names on one line; reasons and notes with <see cref="Multiline"/>. Checked by .NET's minimal-API
/// validation (<c>AddValidation()</c>) before the handler runs, answered as a 400 ValidationProblem naming the field.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class PlainTextAttribute(int maxLength) : ValidationAttribute
{
    public int MaxLength { get; } = maxLength;

    /// <summary>Line breaks and tabs are allowed (reasons, notes, instructions).</summary>
    public bool Multiline { get; init; }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && TextRules.CheckText(text, MaxLength, Multiline) is { } problem
            ? new ValidationResult(problem, Members(validationContext))
            : ValidationResult.Success;

    internal static string[]? Members(ValidationContext context) => context.MemberName is { } member ? [member] : null;
}

/// <summary>A person's name of at most <c>maxLength</c> characters: letters of any script and the name separators (<see cref="TextRules.CheckName"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class PersonNameAttribute(int maxLength) : ValidationAttribute
{
    public int MaxLength { get; } = maxLength;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && TextRules.CheckName(text, MaxLength) is { } problem
            ? new ValidationResult(problem, PlainTextAttribute.Members(validationContext))
            : ValidationResult.Success;
}
