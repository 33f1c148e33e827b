# expect: blocked SF102 pickle.loads of downloaded data
import pickle

import requests

blob = requests.get("https://models.example/latest.pkl", timeout=30).content
model = pickle.loads(blob)
print(model.predict([[1, 2, 3]]))
