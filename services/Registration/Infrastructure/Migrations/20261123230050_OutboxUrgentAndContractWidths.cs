using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Registration.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class OutboxUrgentAndContractWidths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "registration",
                table: "outbox_messages");

            migrationBuilder.AddColumn<bool>(
                name: "urgent",
                schema: "registration",
                table: "outbox_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "registration",
                table: "outbox_messages",
                columns: new[] { "urgent", "sequence" },
                descending: new[] { true, false },
                filter: "published_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "registration",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "urgent",
                schema: "registration",
                table: "outbox_messages");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "registration",
                table: "outbox_messages",
                column: "sequence",
                filter: "published_at IS NULL");
        }
    }
}
