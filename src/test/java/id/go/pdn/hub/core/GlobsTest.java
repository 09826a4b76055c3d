package id.go.pdn.hub.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one glob engine, on names (tables, mail folders) and on paths (files). */
class GlobsTest {

    @Test
    void namesMatchWholeNamesInAnyCase() {
        Globs globs = Globs.names("tmp_*, *_backup ,sessions,Arsip/20??");
        assertThat(globs.matches("TMP_import")).isTrue();
        assertThat(globs.matches("pegawai_backup")).isTrue();
        assertThat(globs.matches("Sessions")).isTrue();
        assertThat(globs.matches("arsip/2023")).as("a folder name with its separator").isTrue();
        assertThat(globs.matches("pegawai")).isFalse();
        assertThat(Globs.names("*").matches("Sent Items/2024")).isTrue();
        assertThat(Globs.names(null).matches("x")).isFalse();
        assertThat(Globs.names("{pegawai,unit}_*").matches("UNIT_kerja")).isTrue();
    }

    @Test
    void pathsKeepStarsWithinAFolder() {
        assertThat(Globs.of("*.pdf").matches("scans/2024/a.pdf")).as("a glob without / matches at any depth").isTrue();
        assertThat(Globs.of("scans/*.pdf").matches("scans/2024/a.pdf")).isFalse();
        assertThat(Globs.of("scans/**").matches("scans/2024/a.pdf")).isTrue();
        assertThat(Globs.of("*.PDF").matches("a.pdf")).as("paths keep their case").isFalse();
    }

    @Test
    void oneSha256() {
        assertThat(Hashes.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
