using Capture.Contracts.Registration;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Messaging;
using MassTransit;

namespace Capture.Scheduling.IntegrationEvents;

/// <summary>
/// Keeps names, college, class and campus of the local copy current after a correction or a roster update, so lists,
/// the station's screen and planning (college and campus) use the student's data as it now is. Only the fields the
/// event names change; an older correction never overwrites a newer approval or correction. No value is logged.
/// </summary>
public sealed class StudentDataCorrectedConsumer(SchedulingDbContext db, ILogger<StudentDataCorrectedConsumer> logger)
    : IdempotentConsumer<StudentDataCorrected, SchedulingDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<StudentDataCorrected> context)
    {
        var m = context.Message;
        if (m.Current is not { } now)
        {
            return;
        }

        var row = await Db.Registrations.FindAsync([m.RegistrationId], context.CancellationToken);
        if (row is null)
        {
            // Not approved yet, or the approval is still on its way (this correction overtook it): keep the data, not
            // active, so that an approval older than this correction does not bring old values back.
            Db.Registrations.Add(new ApprovedRegistration
            {
                RegistrationId = m.RegistrationId,
                CampaignId = m.CampaignId,
                SchoolCode = string.Empty,
                CollegeCode = now.CollegeCode,
                CollegeName = now.CollegeName,
                ClassName = now.ClassName,
                Campus = now.Campus,
                StudentNumber = now.StudentNumber,
                StudentName = now.StudentName,
                MaskedIdNumber = PersonalData.MaskIdNumber(now.IdNumber),
                DegreeLevel = now.DegreeLevel,
                DataAsOf = m.CorrectedAt,
            });
            return;
        }

        if (row.DataAsOf is { } asOf && asOf > m.CorrectedAt)
        {
            return;
        }

        foreach (var field in m.Fields)
        {
            switch (field)
            {
                case "name":
                    row.StudentName = now.StudentName;
                    break;
                case "studentNumber":
                    row.StudentNumber = now.StudentNumber;
                    break;
                case "idNumber":
                    row.MaskedIdNumber = PersonalData.MaskIdNumber(now.IdNumber);
                    break;
                case "degreeLevel":
                    row.DegreeLevel = now.DegreeLevel;
                    break;
                case "collegeCode":
                    row.CollegeCode = now.CollegeCode;
                    break;
                case "collegeName":
                    row.CollegeName = now.CollegeName;
                    break;
                case "className":
                    row.ClassName = now.ClassName;
                    break;
                case "campus":
                    row.Campus = now.Campus;
                    break;
            }
        }

        row.DataAsOf = m.CorrectedAt;
    }
}
