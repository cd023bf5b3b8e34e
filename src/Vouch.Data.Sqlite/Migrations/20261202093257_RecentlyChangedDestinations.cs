using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vouch.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RecentlyChangedDestinations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RecentDestinationDays",
                table: "VerificationSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 7);

            migrationBuilder.AddColumn<bool>(
                name: "RecentDestinationNeedsAdmin",
                table: "VerificationSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RecentDestinationDays",
                table: "VerificationSettings");

            migrationBuilder.DropColumn(
                name: "RecentDestinationNeedsAdmin",
                table: "VerificationSettings");
        }
    }
}
