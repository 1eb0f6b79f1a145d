using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Verification.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class OutboxUrgentAndContractWidths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "verification",
                table: "outbox_messages");

            migrationBuilder.AlterColumn<string>(
                name: "college_name",
                schema: "verification",
                table: "tasks",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128);

            migrationBuilder.AddColumn<bool>(
                name: "urgent",
                schema: "verification",
                table: "outbox_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "verification",
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
                schema: "verification",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "urgent",
                schema: "verification",
                table: "outbox_messages");

            migrationBuilder.AlterColumn<string>(
                name: "college_name",
                schema: "verification",
                table: "tasks",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "verification",
                table: "outbox_messages",
                column: "sequence",
                filter: "published_at IS NULL");
        }
    }
}
