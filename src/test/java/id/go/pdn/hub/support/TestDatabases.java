package id.go.pdn.hub.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import id.go.pdn.hub.support.ExternalServers.Server;

/**
 * The machine's real PostgreSQL and MariaDB: each test makes its own database and drops it. A test that reaches for
 * one that is down gets it started by {@code .ci/start-databases.sh} ({@link ExternalServers}), or fails saying why.
 */
public final class TestDatabases {

    public static final String PG_HOST = System.getProperty("hub.test.pg", "127.0.0.1:5432");
    public static final String MARIADB_HOST = System.getProperty("hub.test.mariadb", "127.0.0.1:3306");

    private TestDatabases() {
    }

    public static String uniqueName(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }

    public static String createPostgres(String name) throws SQLException {
        ExternalServers.require(Server.POSTGRESQL);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/test", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        return postgresUrl(name);
    }

    public static String postgresUrl(String name) {
        return "jdbc:postgresql://" + PG_HOST + "/" + name;
    }

    public static void dropPostgres(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/test", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    public static String createMariaDb(String name) throws SQLException {
        ExternalServers.require(Server.MARIADB);
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + MARIADB_HOST + "/", "root", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        return mariaDbUrl(name);
    }

    public static String mariaDbUrl(String name) {
        return "jdbc:mariadb://" + MARIADB_HOST + "/" + name;
    }

    public static void dropMariaDb(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + MARIADB_HOST + "/", "root", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    public static Connection postgres(String name) throws SQLException {
        ExternalServers.require(Server.POSTGRESQL);
        return DriverManager.getConnection(postgresUrl(name), "postgres", "");
    }

    public static Connection mariaDb(String name) throws SQLException {
        ExternalServers.require(Server.MARIADB);
        return DriverManager.getConnection(mariaDbUrl(name) + "?allowMultiQueries=true&tinyInt1isBit=false", "root", "");
    }

    public static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    public static long count(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
