package id.go.pdn.hub.db.copy;

/**
 * A MariaDB/MySQL geometry as PostGIS reads and writes it: the server's own bytes (a 4-byte little-endian SRID, then
 * the WKB) become EWKB, the WKB with the SRID flag and the SRID after its type (none for SRID 0), in the WKB's
 * little-endian byte order. PostgreSQL's {@code ST_AsEWKB(geom, 'NDR')} gives the same bytes for the same geometry, so
 * both sides of a copy compare as EWKB.
 */
public final class Ewkb implements RawValue {

    public static final Ewkb FROM_MYSQL = new Ewkb();

    private static final int SRID_FLAG = 0x20000000;

    private Ewkb() {
    }

    @Override
    public ValueKind kind() {
        return ValueKind.GEOMETRY;
    }

    @Override
    public byte[] decode(byte[] raw) throws Undecodable {
        if (raw.length < 9 || raw[4] != 1) {
            throw new Undecodable("bytes " + RawText.hex(raw) + " are not a MariaDB geometry (SRID, then little-endian WKB)");
        }
        int srid = le(raw, 0);
        if (srid == 0) {
            byte[] wkb = new byte[raw.length - 4];
            System.arraycopy(raw, 4, wkb, 0, wkb.length);
            return wkb;
        }
        byte[] ewkb = new byte[raw.length]; // the SRID moves behind the type: as long as the source bytes
        ewkb[0] = 1;
        putLe(ewkb, 1, le(raw, 5) | SRID_FLAG);
        putLe(ewkb, 5, srid);
        System.arraycopy(raw, 9, ewkb, 9, raw.length - 9);
        return ewkb;
    }

    private static int le(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static void putLe(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >>> 8);
        b[at + 2] = (byte) (value >>> 16);
        b[at + 3] = (byte) (value >>> 24);
    }
}
