namespace Capture.Registration.Domain;

/// <summary>Checks the correct value of a correction (the school admin's, for a correction requested at verification).</summary>
public static class CorrectionValue
{
    /// <summary>The value as stored (an ID number normalised) and the ID type, or the errors by request field.</summary>
    public static (string? Value, string? IdType, Dictionary<string, string[]> Errors) Check(string field, string? newValue, string? newIdType, string currentIdType)
    {
        var errors = new Dictionary<string, string[]>();
        var value = newValue?.Trim();
        string? idType = null;
        if (string.IsNullOrEmpty(value))
        {
            errors["newValue"] = [$"The student disputed the {field} at verification without giving the correct value: give it here (check it against the student's document)."];
        }
        else if (value.Length > RosterRowValidator.MaxNameLength)
        {
            errors["newValue"] = [$"At most {RosterRowValidator.MaxNameLength} characters."];
        }
        else if (field == CorrectableField.IdNumber)
        {
            idType = IdDocumentType.Parse(newIdType ?? currentIdType);
            if (idType is null)
            {
                errors["idType"] = [$"Use one of {IdDocumentType.Choices}."];
            }
            else if (IdDocumentValidator.Validate(idType, value) is { IsValid: false } check)
            {
                errors["newValue"] = [check.Error!];
            }
            else
            {
                value = IdDocumentValidator.Validate(idType, value).Number;
            }
        }

        return (value, idType, errors);
    }
}
