using Capture.ServiceDefaults.Messaging;
using MassTransit;

namespace Capture.ServiceDefaults.Tests.Messaging;

public sealed class EndpointNameTests
{
    [Theory]
    [InlineData("Capture.CaptureIngest", "capture-ingest")]
    [InlineData("Capture.Scheduling", "scheduling")]
    [InlineData("Capture.Payment", "payment")]
    [InlineData("Capture.ServiceDefaults.Tests", "tests")]
    [InlineData("Gateway", "gateway")]
    public void The_prefix_is_the_services_resource_name(string applicationName, string expected)
        => Assert.Equal(expected, MessagingExtensions.ResourceName(applicationName));

    [Fact]
    public void Two_services_consuming_one_event_get_two_queues()
    {
        // One shared queue would make the two services competing consumers, each seeing half the events.
        var scheduling = new KebabCaseEndpointNameFormatter(MessagingExtensions.ResourceName("Capture.Scheduling"), false);
        var payment = new KebabCaseEndpointNameFormatter(MessagingExtensions.ResourceName("Capture.Payment"), false);
        var a = scheduling.Consumer<RegistrationApprovedConsumer>();
        var b = payment.Consumer<RegistrationApprovedConsumer>();
        Assert.NotEqual(a, b);
        Assert.Equal("scheduling-registration-approved", a);
        Assert.Equal("payment-registration-approved", b);
    }

    private sealed class RegistrationApprovedConsumer : IConsumer<Contracts.Registration.RegistrationApproved>
    {
        public Task Consume(ConsumeContext<Contracts.Registration.RegistrationApproved> context) => Task.CompletedTask;
    }
}
