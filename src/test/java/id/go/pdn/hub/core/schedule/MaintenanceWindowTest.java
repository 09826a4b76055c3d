package id.go.pdn.hub.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import id.go.pdn.hub.core.HubException;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {

    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");

    private static ZonedDateTime at(int hour, int minute) {
        return ZonedDateTime.of(2026, 11, 23, hour, minute, 0, 0, JAKARTA);
    }

    @Test
    void aNightWindowCrossesMidnight() {
        MaintenanceWindow night = MaintenanceWindow.parse("22:00-05:00", "m");
        assertThat(night.isOpen(at(22, 0))).isTrue();
        assertThat(night.isOpen(at(23, 59))).isTrue();
        assertThat(night.isOpen(at(0, 0))).isTrue();
        assertThat(night.isOpen(at(4, 59))).isTrue();
        assertThat(night.isOpen(at(5, 0))).isFalse();
        assertThat(night.isOpen(at(12, 0))).isFalse();
        assertThat(night.isOpen(at(21, 59))).isFalse();
        assertThat(night.nextOpening(at(12, 0))).isEqualTo(at(22, 0));
        assertThat(night.nextOpening(at(23, 0))).isEqualTo(at(22, 0).plusDays(1));
    }

    @Test
    void aDayWindowDoesNot() {
        MaintenanceWindow lunch = MaintenanceWindow.parse(" 12:00 - 13:30 ", "m");
        assertThat(lunch.isOpen(at(12, 0))).isTrue();
        assertThat(lunch.isOpen(at(13, 29))).isTrue();
        assertThat(lunch.isOpen(at(13, 30))).isFalse();
        assertThat(lunch.isOpen(at(1, 0))).isFalse();
        assertThat(lunch).hasToString("12:00-13:30");
    }

    @Test
    void aBadWindowNamesTheMigrationAndTheFormat() {
        for (String bad : new String[] {"22-05", "22:00", "25:00-05:00", "10:00-10:00"}) {
            assertThatThrownBy(() -> MaintenanceWindow.parse(bad, "simpeg-db")).isInstanceOf(HubException.class)
                    .hasMessageContaining("simpeg-db").hasMessageContaining("'" + bad + "'").hasMessageContaining("HH:mm-HH:mm");
        }
    }

    @Test
    void cronIsWrittenAsEngineersWriteItAndStoredAsQuartzWantsIt() {
        assertThat(MigrationSchedules.quartzCron("0 0 22 * * *", "m")).isEqualTo("0 0 22 * * ?");
        assertThat(MigrationSchedules.quartzCron("0 0 22 * * MON-FRI", "m")).isEqualTo("0 0 22 ? * MON-FRI");
        assertThat(MigrationSchedules.quartzCron("0 30 1 1 * *", "m")).isEqualTo("0 30 1 1 * ?");
        assertThat(MigrationSchedules.quartzCron("0 0 22 ? * *", "m")).isEqualTo("0 0 22 ? * *");
        assertThatThrownBy(() -> MigrationSchedules.quartzCron("0 22 * * *", "simpeg-db")).isInstanceOf(HubException.class)
                .hasMessageContaining("simpeg-db").hasMessageContaining("six fields");
        assertThatThrownBy(() -> MigrationSchedules.quartzCron("0 0 25 * * *", "m")).isInstanceOf(HubException.class);
    }
}
