package id.go.pdn.hub.db.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import id.go.pdn.hub.db.dialect.MySqlToPostgres.Names;
import id.go.pdn.hub.db.dialect.MySqlToPostgres.Untranslatable;
import org.junit.jupiter.api.Test;

/** MySQL expressions and view queries, as information_schema stores them, in PostgreSQL. */
class MySqlToPostgresTest {

    private final Names lower = new Names(n -> n.toLowerCase(Locale.ROOT), "shop", "public");

    private String pg(String mysql) throws Untranslatable {
        return MySqlToPostgres.expression(mysql, lower);
    }

    @Test
    void defaultsAndFunctions() throws Untranslatable {
        assertThat(pg("current_timestamp()")).isEqualTo("LOCALTIMESTAMP(0)");
        assertThat(pg("current_timestamp(3)")).isEqualTo("LOCALTIMESTAMP(3)");
        assertThat(pg("curdate()")).isEqualTo("CURRENT_DATE");
        assertThat(pg("uuid()")).isEqualTo("CAST(gen_random_uuid() AS text)");
        assertThat(pg("'it''s'")).isEqualTo("'it''s'");
        assertThat(pg("'a\\\\b'")).isEqualTo("'a\\b'");
        assertThat(pg("b'101'")).isEqualTo("5");
        assertThat(pg("ifnull(`Nick`,'-')")).isEqualTo("COALESCE(\"nick\", '-')");
        assertThat(pg("if(`a` > 0,'y','n')")).isEqualTo("(CASE WHEN \"a\" > 0 THEN 'y' ELSE 'n' END)");
        assertThat(pg("concat(`a`,' ',`b`)")).isEqualTo("(CAST(\"a\" AS text) || ' ' || CAST(\"b\" AS text))");
        assertThat(pg("substring_index(`Email`,'@',-1)")).isEqualTo("split_part(\"email\", '@', -1)");
        assertThat(pg("ucase(`FullName`)")).isEqualTo("upper(\"fullname\")");
        assertThat(pg("`a` <=> `b` || `c`")).isEqualTo("\"a\" IS NOT DISTINCT FROM \"b\" OR \"c\"");
        assertThat(pg("year(`d`)")).isEqualTo("CAST(EXTRACT(YEAR FROM \"d\") AS integer)");
        assertThat(pg("`d` + interval 1 day")).isEqualTo("\"d\" + (1) * INTERVAL '1 day'");
        assertThat(pg("date_add(`d`,interval `n` month)")).isEqualTo("(\"d\" + (\"n\") * INTERVAL '1 month')");
        assertThat(pg("date_format(`d`,'%d/%m/%Y %H:%i')")).isEqualTo("to_char(\"d\", 'DD\"/\"MM\"/\"YYYY\" \"HH24:MI')");
        assertThat(pg("cast(`x` as signed)")).isEqualTo("CAST(\"x\" AS bigint)");
        assertThat(pg("json_valid(`p`)")).isEqualTo("(\"p\" IS NULL OR CAST(\"p\" AS json) IS NOT NULL)");
    }

    @Test
    void viewsGetTheTargetSchemaAndTheirTables() throws Untranslatable {
        MySqlToPostgres.View view = MySqlToPostgres.view("select `p`.`id` AS `id`,group_concat(`l`.`note` order by `l`.`id` ASC "
                + "separator '; ') AS `notes` from (`shop`.`Product` `p` left join `shop`.`OrderLine` `l` on(`l`.`product_id` = `p`.`id`)) "
                + "group by `p`.`id` limit 5,10", lower);
        assertThat(view.select()).isEqualTo("select \"p\".\"id\" AS \"id\", string_agg(CAST(\"l\".\"note\" AS text), '; ' order by "
                + "\"l\".\"id\" ASC) AS \"notes\" from (\"public\".\"product\" \"p\" left join \"public\".\"orderline\" \"l\" on "
                + "(\"l\".\"product_id\" = \"p\".\"id\")) group by \"p\".\"id\" LIMIT 10 OFFSET 5");
        assertThat(view.tables()).containsExactly("Product", "OrderLine");
    }

    @Test
    void whatItDoesNotKnowIsRefusedByName() {
        assertThatThrownBy(() -> pg("soundex(`name`)")).isInstanceOf(Untranslatable.class).hasMessage("function soundex()");
        assertThatThrownBy(() -> pg("`a` div 2")).isInstanceOf(Untranslatable.class).hasMessage("'div'");
        assertThatThrownBy(() -> pg("date_format(`d`,'%U')")).hasMessage("date_format() specifier %U");
        assertThatThrownBy(() -> pg("substring_index(`a`,',',2)")).hasMessageContaining("count other than 1 or -1");
    }
}
