import { csvCell, toCsv } from './csv';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['=1+1', "'=1+1"],
    ['+44 151', "'+44 151"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\t=tab', "'\t=tab"],
    ['=a,"b"', `"'=a,""b"""`],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j becomes %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('writes null and undefined as empty cells, numbers as they are', () => {
    expect([csvCell(null), csvCell(undefined), csvCell(42)]).toEqual(['', '', '42']);
  });
});

describe('toCsv', () => {
  it('writes a header and rows, each ending CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['1', null],
          ['x,y', '=z'],
        ],
      ),
    ).toBe('a,b\r\n1,\r\n"x,y",\'=z\r\n');
  });
});
