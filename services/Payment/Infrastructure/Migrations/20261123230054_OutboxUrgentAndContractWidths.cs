using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Payment.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class OutboxUrgentAndContractWidths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "payment",
                table: "outbox_messages");

            migrationBuilder.AddColumn<bool>(
                name: "urgent",
                schema: "payment",
                table: "outbox_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AlterColumn<string>(
                name: "college_name",
                schema: "payment",
                table: "orders",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128);

            migrationBuilder.AlterColumn<string>(
                name: "college_code",
                schema: "payment",
                table: "orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AlterColumn<string>(
                name: "class_name",
                schema: "payment",
                table: "orders",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "payment",
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
                schema: "payment",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "urgent",
                schema: "payment",
                table: "outbox_messages");

            migrationBuilder.AlterColumn<string>(
                name: "college_name",
                schema: "payment",
                table: "orders",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.AlterColumn<string>(
                name: "college_code",
                schema: "payment",
                table: "orders",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64);

            migrationBuilder.AlterColumn<string>(
                name: "class_name",
                schema: "payment",
                table: "orders",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "payment",
                table: "outbox_messages",
                column: "sequence",
                filter: "published_at IS NULL");
        }
    }
}
