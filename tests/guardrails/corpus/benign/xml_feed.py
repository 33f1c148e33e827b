# expect: warn B405 B314  (bandit warns about the standard XML parser)
import xml.etree.ElementTree as ET

tree = ET.parse("feed.xml")
for item in tree.getroot().iter("item"):
    print(item.findtext("title"), item.findtext("link"))
