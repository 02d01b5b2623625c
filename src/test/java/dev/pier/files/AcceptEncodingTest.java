package dev.pier.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptEncodingTest {

    /** Qualities in thousandths, and the acceptable codings best first. */
    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                                   | 0    | 0    | 1000 | IDENTITY
            ''                                     | 0    | 0    | 1    | IDENTITY
            gzip                                   | 0    | 1000 | 1    | GZIP IDENTITY
            'gzip, deflate, br, zstd'              | 1000 | 1000 | 1    | BR GZIP IDENTITY
            'br;q=1, gzip;q=0.5'                   | 1000 | 500  | 1    | BR GZIP IDENTITY
            'gzip;q=0.5, br;q=1'                   | 1000 | 500  | 1    | BR GZIP IDENTITY
            'gzip, br;q=0.9'                       | 900  | 1000 | 1    | GZIP BR IDENTITY
            'gzip;q=0, *;q=0'                      | 0    | 0    | 0    | ''
            'identity;q=0'                         | 0    | 0    | 0    | ''
            '*;q=0'                                | 0    | 0    | 0    | ''
            '*;q=0, identity'                      | 0    | 0    | 1000 | IDENTITY
            '*'                                    | 1000 | 1000 | 1000 | BR GZIP IDENTITY
            '*;q=0.2, gzip'                        | 200  | 1000 | 200  | GZIP BR IDENTITY
            'br;q=0, *'                            | 0    | 1000 | 1000 | GZIP IDENTITY
            'identity, gzip;q=0.5'                 | 0    | 500  | 1000 | IDENTITY GZIP
            'identity;q=0.5, gzip;q=0.5, br;q=0.5' | 500  | 500  | 500  | BR GZIP IDENTITY
            'x-gzip'                               | 0    | 1000 | 1    | GZIP IDENTITY
            'GZIP;Q=0.7, BR'                       | 1000 | 700  | 1    | BR GZIP IDENTITY
            ' gzip ; q=0.25 ,br ; q = 1 '          | 1000 | 250  | 1    | BR GZIP IDENTITY
            'gzip;q=1.000'                         | 0    | 1000 | 1    | GZIP IDENTITY
            'gzip;q=0.001'                         | 0    | 1    | 1    | GZIP IDENTITY
            'gzip;q=1.5, br'                       | 1000 | 0    | 1    | BR IDENTITY
            'gzip;q=2'                             | 0    | 0    | 1    | IDENTITY
            'gzip;q=0.1234'                        | 0    | 0    | 1    | IDENTITY
            'gzip;q=abc'                           | 0    | 0    | 1    | IDENTITY
            'gzip;level=9;q=0.3'                   | 0    | 300  | 1    | GZIP IDENTITY
            'gzip, gzip;q=0'                       | 0    | 1000 | 1    | GZIP IDENTITY
            'deflate, compress'                    | 0    | 0    | 1    | IDENTITY
            ',,gzip,,'                             | 0    | 1000 | 1    | GZIP IDENTITY
            """)
    void whenFieldIsReadThenQualitiesAndPreferenceFollowRfc9110(String field, int br, int gzip, int identity, String preferred) {
        AcceptEncoding accept = AcceptEncoding.parse(field);

        assertThat(accept).isEqualTo(new AcceptEncoding(br, gzip, identity));
        assertThat(Arrays.stream(accept.preferred()).map(Enum::name).collect(Collectors.joining(" "))).isEqualTo(preferred);
    }
}
