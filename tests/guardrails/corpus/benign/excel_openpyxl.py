# expect: ok  (an Excel workbook)
from openpyxl import Workbook

wb = Workbook()
ws = wb.active
ws.title = "Summary"
ws.append(["Team", "Tickets", "Closed"])
for team, tickets, closed in [("web", 40, 35), ("data", 22, 20)]:
    ws.append([team, tickets, closed])
wb.save("summary.xlsx")
