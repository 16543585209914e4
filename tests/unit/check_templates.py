#!/usr/bin/python3
"""Opens the workbooks the portal writes (tests/unit/write_templates.c) with
openpyxl and checks what a spreadsheet user meets: locked and unlocked
columns, data validations, number formats, the frozen header and the
portal_template name. Run by ctest: check_templates.py <write_templates>."""
import datetime
import os
import subprocess
import sys
import tempfile

import openpyxl


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def expect(cond, message):
    if not cond:
        fail(message)


def validations(ws):
    return {str(v.sqref): v for v in ws.data_validations.dataValidation}


def template_tag(wb):
    try:
        return wb.defined_names["portal_template"].attr_text
    except (KeyError, TypeError, AttributeError):
        for dn in wb.defined_names.definedName:
            if dn.name == "portal_template":
                return dn.attr_text
    return None


def check_salary(path):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    expect(ws.title == "Salarissen", "sheet title %r" % ws.title)
    expect(ws.protection.sheet, "the salary sheet is protected")
    expect(ws.freeze_panes == "A2", "header frozen, got %r" % ws.freeze_panes)
    expect(template_tag(wb) == '"salary_change/1"', "portal_template %r" % template_tag(wb))
    expect([c.value for c in ws[1]][:7] == [
        "Deelnemernummer", "Naam", "Geboortedatum", "Salaris", "Parttimepercentage",
        "Nieuw salaris", "Nieuw parttimepercentage"], "labels %r" % [c.value for c in ws[1]])
    for row in range(2, 5):
        for col in "ABCDE":
            expect(ws["%s%d" % (col, row)].protection.locked, "%s%d locked" % (col, row))
        for col in "FG":
            expect(not ws["%s%d" % (col, row)].protection.locked, "%s%d unlocked" % (col, row))
    expect(ws["A2"].value == "2001681" and ws["A2"].number_format == "@", "A2 text")
    expect(isinstance(ws["C2"].value, datetime.datetime) and
           ws["C2"].value.date() == datetime.date(1970, 5, 17), "C2 date %r" % ws["C2"].value)
    expect(ws["C2"].number_format == "dd-mm-yyyy", "C2 format %r" % ws["C2"].number_format)
    expect(ws["D2"].value == 52242.28 and ws["D2"].number_format == "#,##0.00", "D2 money")
    expect(ws["E3"].value == 80.5 and ws["E3"].number_format == "0.00", "E3 percentage")
    expect(ws["F2"].number_format == "#,##0.00" and ws["G2"].number_format == "0.00",
           "F and G formats")
    v = validations(ws)
    expect(set(v) == {"F2:F4", "G2:G4"}, "validation ranges %r" % list(v))
    f, g = v["F2:F4"], v["G2:G4"]
    expect(f.type == "decimal" and f.operator == "greaterThanOrEqual" and f.formula1 == "0",
           "F validation %r %r %r" % (f.type, f.operator, f.formula1))
    expect(g.type == "decimal" and g.operator in (None, "between") and
           g.formula1 == "0" and g.formula2 == "100", "G validation")
    expect(f.showErrorMessage and g.showErrorMessage, "validations stop bad input")


def check_new_participants(path):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    expect(not ws.protection.sheet, "the new-participants sheet is open")
    expect(template_tag(wb) == '"new_participants/1"', "portal_template")
    expect(ws["B1"].value == "First name" and ws["Q1"].value == "Part-time percentage", "labels")
    expect(ws["B2"].value == "Jan" and ws["H2"].value == "111222333", "example row")
    expect(ws["H2"].number_format == "@", "BSN is text")
    expect(ws["F2"].value.date() == datetime.date(1980, 1, 31), "example birth date")
    v = validations(ws)
    expect(v["G2:G1048576"].type == "list" and
           v["G2:G1048576"].formula1 == '"male,female,unknown"', "gender list")
    for col in "FO":
        d = v["%s2:%s1048576" % (col, col)]
        expect(d.type == "date" and d.operator in (None, "between"), "date validation on " + col)
    expect(v["P2:P1048576"].type == "decimal" and v["Q2:Q1048576"].formula2 == "100",
           "salary and percentage validations")


def check_errors(path):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    expect([c.value for c in ws[1]] == ["participant_number", "new_salary", "Fout"], "header")
    expect([c.value for c in ws[2]] == ["2001681", "abc", "Geen bedrag"], "row")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.argv[1], tmp], check=True)
        check_salary(os.path.join(tmp, "salary_change.xlsx"))
        check_new_participants(os.path.join(tmp, "new_participants.xlsx"))
        check_errors(os.path.join(tmp, "errors.xlsx"))
    print("templates: openpyxl sees locks, validations, formats and the template name")


if __name__ == "__main__":
    main()
