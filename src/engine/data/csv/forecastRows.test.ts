// Unit tests for forecast rows written in a CSV file's own format: delimiter, quotes, time layout, date parts and decimals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forecastRows } from './forecastRows';

describe('forecastRows', () => {
  it('continues quoted dates like the Melbourne temperatures file (CRLF, no final newline), keeping the decimals', () => {
    const text = '"Date","Temp"\r\n"1990-12-29",13.6\r\n"1990-12-30",13.5\r\n"1990-12-31",13.0';
    const rows = forecastRows(text, { target: 'Temp' }, [13.4, 12.96], [Date.UTC(1991, 0, 1), Date.UTC(1991, 0, 2)]);
    assert.deepEqual(rows, ['"1991-01-01",13.4', '"1991-01-02",13.0']);
    const quotedEverywhere = '"Date","Temp"\r\n"1990-12-30","13.5"\r\n"1990-12-31","13.0"\r\n\r\n';
    assert.deepEqual(forecastRows(quotedEverywhere, { target: 'Temp' }, [13.4], [Date.UTC(1991, 0, 1)]), ['"1991-01-01","13.4"']);
  });

  it('continues an unquoted ISO date-time written with a space', () => {
    const text = 'time,load\n2019-12-31 22:00,5.50\n2019-12-31 23:00,6.00\n2020-01-01 00:00,6.25\n';
    const rows = forecastRows(text, { target: 'load' }, [7, 7.125], [Date.UTC(2020, 0, 1, 1), Date.UTC(2020, 0, 1, 2)]);
    assert.deepEqual(rows, ['2020-01-01 01:00,7.00', '2020-01-01 02:00,7.13']);
  });

  it('fills Year and Month columns, matched case-insensitively as the time axis matches them', () => {
    const text = 'Year,Month,Value\n2023,10,9\n2023,11,10\n2023,12,12\n';
    const rows = forecastRows(text, { target: 'Value' }, [13.4, 14.6], [Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1)]);
    assert.deepEqual(rows, ['2024,1,13', '2024,2,15']);
  });

  it('fills the yr and mon aliases, zero-padded when the column pads', () => {
    const text = 'yr,mon,value\n2023,09,1.5\n2023,10,2.5\n2023,11,3.5\n2023,12,4.5\n';
    const rows = forecastRows(text, { target: 'value' }, [5.5], [Date.UTC(2024, 0, 1)]);
    assert.deepEqual(rows, ['2024,01,5.5']);
  });

  it('writes semicolon-separated rows with the decimals of the last value, and a decimal comma when the file has one', () => {
    const text = 'datum;wert;note\n2024-01-01;12.50;a\n2024-01-02;13.75;b\n';
    assert.deepEqual(forecastRows(text, { target: 'wert' }, [14.1], [Date.UTC(2024, 0, 3)]), ['2024-01-03;14.10;']);
    const decimalComma = 'datum;wert\n01.01.2024;1,250\n02.01.2024;1,500\n';
    assert.deepEqual(forecastRows(decimalComma, { target: 'wert' }, [1.75], [Date.UTC(2024, 0, 3)]), ['03.01.2024;1,750']);
  });

  it('fills only the target without times or without a time column', () => {
    assert.deepEqual(forecastRows('a,b\n1,2.5\n3,4.5\n', { target: 'b' }, [6.2, 6.4], null), [',6.2', ',6.4']);
    assert.deepEqual(forecastRows('a,b\n1,2.5\n3,4.5\n', { target: 'b' }, [6.2], [Date.UTC(2024, 0, 1)]), [',6.2']);
    assert.deepEqual(forecastRows('date,v\n2024-01-01,1\n2024-01-02,2\n', { target: 'v' }, [3], null), [',3']);
  });
});
