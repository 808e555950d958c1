#!/usr/bin/env python3
"""Prints each failed test of the given .trx files with the first lines of its message.

test.sh calls it just before its last line, so a CI log that keeps only its tail still names what failed.
"""
import sys
import xml.etree.ElementTree as ElementTree

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MESSAGE_LINES = 12

for path in sys.argv[1:]:
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as error:
        print(f"{path}: unreadable ({error})")
        continue
    for result in root.iterfind(".//t:UnitTestResult[@outcome='Failed']", NS):
        print(f"FAILED {result.get('testName')} ({result.get('duration')})")
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS)
        for line in message.strip().splitlines()[:MESSAGE_LINES]:
            print(f"    {line}")
        trace = result.findtext("t:Output/t:ErrorInfo/t:StackTrace", default="", namespaces=NS)
        for line in [line for line in trace.strip().splitlines() if "FurnitureOps" in line][:4]:
            print(f"    {line.strip()}")
