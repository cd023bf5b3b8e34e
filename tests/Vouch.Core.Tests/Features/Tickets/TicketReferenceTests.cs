using Vouch.Core.Features.Tickets;

namespace Vouch.Core.Tests.Features.Tickets;

public sealed class TicketReferenceTests
{
    [Theory]
    [InlineData("1042", 1042)]
    [InlineData("#1042", 1042)]
    [InlineData("T-1042", 1042)]
    [InlineData("t-7", 7)]
    [InlineData("  #0042 ", 42)]
    [InlineData("2147483647", int.MaxValue)]
    public void TryParse_NumberWithOptionalPrefix_ReadsTheNumber(string text, int expected)
    {
        Assert.True(TicketReference.TryParse(text, out var number));
        Assert.Equal(expected, number);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("#")]
    [InlineData("T-")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("T1042")]
    [InlineData("CW-1042")]
    [InlineData("# 1042")]
    [InlineData("10 42")]
    [InlineData("1042a")]
    [InlineData("٣")]
    [InlineData("2147483648")]
    public void TryParse_AnythingElse_IsNotAReference(string? text)
    {
        Assert.False(TicketReference.TryParse(text, out _));
    }

    [Fact]
    public void Format_And_Display_RoundTrip()
    {
        Assert.Equal("1042", TicketReference.Format(1042));
        Assert.Equal("#1042", TicketReference.Display(1042));
        Assert.True(TicketReference.TryParse(TicketReference.Display(1042), out var number) && number == 1042);
    }
}

public sealed class TicketTests
{
    private static readonly DateTime Monday = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void MoveTo_ClosedThenClosedThenOpen_StampsOnceAndClears()
    {
        var ticket = new Ticket(Guid.NewGuid(), Guid.NewGuid(), 1, Guid.NewGuid(), null, Monday);
        ticket.MoveTo(new TicketStatusDefinition("New", false), Monday);

        Assert.True(ticket.MoveTo(new TicketStatusDefinition("Resolved", true), Monday.AddHours(1)));
        Assert.True(ticket.MoveTo(new TicketStatusDefinition("Closed", true), Monday.AddHours(2)));
        Assert.Equal(Monday.AddHours(1), ticket.ClosedAt);
        Assert.False(ticket.MoveTo(new TicketStatusDefinition("Closed", true), Monday.AddHours(3)));
        Assert.True(ticket.MoveTo(new TicketStatusDefinition("In progress", false), Monday.AddHours(4)));
        Assert.Null(ticket.ClosedAt);
        Assert.Equal(Monday.AddHours(4), ticket.UpdatedAt);
    }
}
