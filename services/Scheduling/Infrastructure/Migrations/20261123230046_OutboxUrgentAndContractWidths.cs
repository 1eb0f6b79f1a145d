using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Scheduling.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class OutboxUrgentAndContractWidths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "scheduling",
                table: "outbox_messages");

            migrationBuilder.AddColumn<int>(
                name: "version",
                schema: "scheduling",
                table: "verified_capture_codes",
                type: "integer",
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "class_name",
                schema: "scheduling",
                table: "registrations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "campus",
                schema: "scheduling",
                table: "registrations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128,
                oldNullable: true);

            migrationBuilder.AddColumn<int>(
                name: "capture_codes_valid_from",
                schema: "scheduling",
                table: "registrations",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "data_as_of",
                schema: "scheduling",
                table: "registrations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "urgent",
                schema: "scheduling",
                table: "outbox_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AlterColumn<string>(
                name: "class_name",
                schema: "scheduling",
                table: "class_slots",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "fee_changed_at",
                schema: "scheduling",
                table: "campaigns",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "fee_fen",
                schema: "scheduling",
                table: "campaigns",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "scheduling",
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
                schema: "scheduling",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "version",
                schema: "scheduling",
                table: "verified_capture_codes");

            migrationBuilder.DropColumn(
                name: "capture_codes_valid_from",
                schema: "scheduling",
                table: "registrations");

            migrationBuilder.DropColumn(
                name: "data_as_of",
                schema: "scheduling",
                table: "registrations");

            migrationBuilder.DropColumn(
                name: "urgent",
                schema: "scheduling",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "fee_changed_at",
                schema: "scheduling",
                table: "campaigns");

            migrationBuilder.DropColumn(
                name: "fee_fen",
                schema: "scheduling",
                table: "campaigns");

            migrationBuilder.AlterColumn<string>(
                name: "class_name",
                schema: "scheduling",
                table: "registrations",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "campus",
                schema: "scheduling",
                table: "registrations",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "class_name",
                schema: "scheduling",
                table: "class_slots",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unpublished",
                schema: "scheduling",
                table: "outbox_messages",
                column: "sequence",
                filter: "published_at IS NULL");
        }
    }
}
