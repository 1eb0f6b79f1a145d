using Capture.Contracts.Registration;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.IntegrationEvents;

/// <summary>
/// Keeps the student's name, number, college and class on their order current after a correction (lists, vouchers and
/// reconciliation show them). Only the fields the event names change; no value is logged.
/// </summary>
public sealed class StudentDataCorrectedConsumer(PaymentDbContext db, ILogger<StudentDataCorrectedConsumer> logger)
    : IdempotentConsumer<StudentDataCorrected, PaymentDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<StudentDataCorrected> context)
    {
        var m = context.Message;
        if (m.Current is not { } now)
        {
            return;
        }

        // No order yet: the approval that creates it carries the data as it then is.
        var order = await Db.Orders.FirstOrDefaultAsync(o => o.RegistrationId == m.RegistrationId, context.CancellationToken);
        if (order is null || order.ApprovedAt > m.CorrectedAt)
        {
            return;
        }

        foreach (var field in m.Fields)
        {
            switch (field)
            {
                case "name":
                    order.StudentName = now.StudentName;
                    break;
                case "studentNumber":
                    order.StudentNumber = now.StudentNumber;
                    break;
                case "collegeCode":
                    order.CollegeCode = now.CollegeCode;
                    break;
                case "collegeName":
                    order.CollegeName = now.CollegeName;
                    break;
                case "className":
                    order.ClassName = now.ClassName;
                    break;
            }
        }
    }
}
