# FIFTH HELD-OUT set: eight synthetic UK dictations written on 2026-12-07, before any of their
# audio was heard, by a writer who had not read the product's term lists or rules. Do NOT tune the
# lexicon, rules, parser or thresholds on these; they only check that what was made on the
# development set (and learnt from ../unseen to ../unseen4) generalises. Their conditions, drugs,
# people, practices and places appear in none of the earlier sets: myasthenia gravis (neurology),
# idiopathic pulmonary fibrosis (respiratory), a sickle cell crisis with acute chest syndrome (a
# haematology discharge), endometriosis (gynaecology), systemic sclerosis (rheumatology), a
# retinal detachment (vitreoretinal surgery), suspected hypertrophic cardiomyopathy (a GP
# referral to a cardiology department) and acute pancreatitis with alcohol withdrawal (a
# discharge).
#
# Same format as the development cases (make_audio.py reads it). NHS numbers are in the 999 test
# range and pass the Modulus 11 check. Where a case says "scratch that", its terms hold only what
# is kept (the retracted words here: dihydrocodeine, atropine).

CASES = [
 dict(id="z01_neurology_myasthenia", voice="en-gb-x-rp", speed=150, noise=0.0, letter_type="clinic",
  patient="Marianne Deverell", dob="1969-05-19", nhs="9994151274", recipient="Dr Caspar Lindholm",
  spoken="""Neurology clinic letter to Doctor Caspar Lindholm, Thornbury Road Surgery.
Re Mrs Marianne Deverell, date of birth nineteenth of May nineteen sixty nine, NHS number {NHS}.
Diagnosis colon generalised myasthenia gravis new paragraph
Dear Doctor Lindholm comma new paragraph
Mrs Deverell describes drooping of her left eyelid and diplopia towards the end of the day full stop On examination she had fatigable ptosis on sustained upgaze and weakness of neck flexion full stop Her acetylcholine receptor antibodies are strongly positive comma and single fibre electromyography showed increased jitter full stop A CT scan of her chest showed no thymoma full stop new paragraph
She has started pyridostigmine thirty milligrams four times a day full stop If she gets abdominal cramps comma propantheline fifteen milligrams can be taken with each dose full stop As her weakness is generalised comma we will also start mycophenolate mofetil five hundred milligrams twice daily comma and I have referred her to the thoracic surgeons to discuss thymectomy full stop Please avoid gentamicin and quinine comma which can bring on a myasthenic crisis full stop If she has any difficulty swallowing or breathing she should come straight to the emergency department full stop new paragraph
Yours sincerely""",
  terms=["myasthenia gravis", "diplopia", "fatigable ptosis", "acetylcholine receptor antibodies", "single fibre electromyography", "thymoma", "pyridostigmine", "propantheline", "mycophenolate mofetil", "thymectomy", "gentamicin", "myasthenic crisis"]),

 dict(id="z02_respiratory_ipf", voice="en-gb-scotland", speed=155, noise=0.003, letter_type="clinic",
  patient="Bernard Atherley", dob="1950-11-02", nhs="9990336857", recipient="Dr Saoirse Brannigan",
  spoken="""Respiratory clinic letter to Doctor Saoirse Brannigan, Cowgate Medical Practice.
Regarding Mr Bernard Atherley, date of birth second of November nineteen fifty, NHS number {NHS}.
Diagnosis colon idiopathic pulmonary fibrosis new line
History colon Mr Atherley has had a dry cough and breathlessness on exertion for eighteen months full stop He is an ex smoker full stop He has finger clubbing and fine inspiratory crackles at both lung bases full stop new line
Investigations colon his CT scan shows a usual interstitial pneumonia pattern with subpleural honeycombing at both bases full stop His forced vital capacity is seventy two percent of predicted and his transfer factor is fifty one percent full stop His oxygen saturation fell to eighty six percent during a six minute walk test full stop new line
Plan colon he will start nintedanib one hundred and fifty milligrams twice daily full stop Loose stools are common comma so he has loperamide two milligrams to take as needed comma and if he cannot tolerate nintedanib we will switch to pirfenidone full stop He should continue esomeprazole twenty milligrams once daily for his reflux full stop new line
Follow up colon interstitial lung disease clinic in three months with repeat spirometry and gas transfer""",
  terms=["idiopathic pulmonary fibrosis", "finger clubbing", "inspiratory crackles", "usual interstitial pneumonia", "honeycombing", "forced vital capacity", "transfer factor", "six minute walk test", "nintedanib", "loperamide", "pirfenidone", "esomeprazole"]),

 dict(id="z03_discharge_sickle_cell", voice="en-gb-x-rp+f3", speed=150, noise=0.0, letter_type="discharge",
  patient="Folasade Adekunle", dob="1998-01-30", nhs="9990926611", recipient="Dr Ingrid Solberg",
  spoken="""Discharge summary to Doctor Ingrid Solberg, Plough Lane Surgery.
Patient Ms Folasade Adekunle, date of birth thirtieth of January nineteen ninety eight, NHS number {NHS}.
Diagnosis colon sickle cell disease with a vaso occlusive crisis complicated by acute chest syndrome new paragraph
Dear Doctor Solberg comma new paragraph
Ms Adekunle came in with severe pain in her lower back and both thighs full stop On day two she became hypoxic and feverish comma with new consolidation at the left lung base full stop She had an exchange transfusion on the high dependency unit comma which brought her haemoglobin S below thirty percent full stop She was treated with intravenous levofloxacin comma incentive spirometry and patient controlled analgesia full stop new paragraph
Medications on discharge colon dihydrocodeine scratch that oxycodone five milligrams every four hours as needed for three days only comma and macrogol one sachet twice daily while she is taking it full stop She is allergic to penicillin comma so she will continue erythromycin two hundred and fifty milligrams twice daily as lifelong prophylaxis full stop new paragraph
Follow up colon she will be seen in the haemoglobinopathy clinic in four weeks full stop new paragraph
Yours sincerely""",
  terms=["sickle cell disease", "vaso-occlusive crisis", "acute chest syndrome", "exchange transfusion", "haemoglobin S", "levofloxacin", "incentive spirometry", "patient controlled analgesia", "oxycodone", "macrogol", "erythromycin", "haemoglobinopathy"]),

 dict(id="z04_gynaecology_endometriosis", voice="en-gb+f2", speed=150, noise=0.0, letter_type="clinic",
  patient="Lauren Tremayne", dob="1991-08-14", nhs="9998027802", recipient="Dr Pradeep Venkatesan",
  spoken="""This is Miss Annika Holmqvist, consultant gynaecologist, dictating a clinic letter to Doctor Pradeep Venkatesan at Kestrel Way Surgery.
Patient Ms Lauren Tremayne, date of birth fourteenth of August nineteen ninety one, NHS number {NHS}.
Dear Doctor Venkatesan comma new paragraph
Thank you for referring Ms Tremayne comma who has severe dysmenorrhoea comma deep dyspareunia and painful bowel movements during her periods full stop On examination there was tenderness and nodularity in the posterior fornix full stop A transvaginal scan shows a four centimetre endometrioma on the left ovary comma which is tethered behind the uterus full stop new paragraph
This picture strongly suggests deep endometriosis comma possibly involving the rectovaginal septum comma so she will have an MRI of the pelvis full stop She has taken desogestrel seventy five micrograms daily for a year without much benefit full stop We have started relugolix combination therapy comma one tablet daily comma while she waits for surgery full stop If she does not tolerate it comma the alternative is goserelin three point six milligrams every four weeks with add back hormone replacement therapy full stop new paragraph
We plan a laparoscopic excision of endometriosis with a left ovarian cystectomy full stop new paragraph
With best wishes""",
  terms=["dysmenorrhoea", "dyspareunia", "posterior fornix", "transvaginal scan", "endometrioma", "endometriosis", "rectovaginal septum", "desogestrel", "relugolix", "goserelin", "hormone replacement therapy", "ovarian cystectomy"]),

 dict(id="z05_rheumatology_systemic_sclerosis", voice="en-gb-x-gbclan", speed=145, noise=0.0, letter_type="clinic",
  patient="Yasmin Farouk", dob="1972-03-07", nhs="9995896540", recipient="Dr Lachlan Birtwistle",
  spoken="""Rheumatology clinic letter to Doctor Lachlan Birtwistle, Sandhill Surgery.
Re Mrs Yasmin Farouk, date of birth seventh of March nineteen seventy two, NHS number {NHS}.
Diagnosis colon limited cutaneous systemic sclerosis new paragraph
Dear Doctor Birtwistle comma new paragraph
Mrs Farouk has had Raynaud's phenomenon for three years comma and this winter she developed painful digital ulcers on two fingertips full stop She has sclerodactyly and telangiectasia on her face and palms comma and she has heartburn most days full stop Her anti centromere antibodies are strongly positive comma and nailfold capillaroscopy shows enlarged capillaries with areas of dropout full stop new paragraph
She will take nifedipine modified release thirty milligrams once daily full stop Because her ulcers are active comma we will add sildenafil twenty milligrams three times a day full stop If new ulcers appear despite this comma she will come in for intravenous iloprost comma and bosentan may then help to prevent further ulcers full stop Pulmonary arterial hypertension is a risk in this condition comma so she will have lung function tests comma an NT pro BNP and a heart scan every year full stop new paragraph
Yours sincerely new line
Doctor Parveen Chaudhry comma consultant rheumatologist""",
  terms=["systemic sclerosis", "Raynaud's phenomenon", "digital ulcers", "sclerodactyly", "telangiectasia", "anti-centromere antibodies", "nailfold capillaroscopy", "nifedipine", "sildenafil", "iloprost", "bosentan", "pulmonary arterial hypertension"]),

 dict(id="z06_vitreoretinal_detachment", voice="en-gb-x-gbcwmd", speed=155, noise=0.002, letter_type="clinic",
  patient="Stanislav Horvath", dob="1964-12-21", nhs="9994011715", recipient="Dr Cordelia Ashcombe",
  spoken="""Vitreoretinal clinic letter to Doctor Cordelia Ashcombe, Fennel Street Surgery.
Patient Mr Stanislav Horvath, date of birth twenty first of December nineteen sixty four, NHS number {NHS}.
Diagnosis colon right macula on rhegmatogenous retinal detachment new paragraph
Dear Doctor Ashcombe comma new paragraph
Mr Horvath had three days of flashing lights and new floaters in his right eye comma followed by a grey curtain rising from below full stop On dilated examination there was a horseshoe tear in the upper temporal retina with a detachment that had not yet reached the macula full stop new paragraph
He had a pars plana vitrectomy with cryotherapy and a sulfur hexafluoride gas tamponade the same evening full stop He must lie on his left side for most of the next five days comma and he must not fly or be given nitrous oxide until the gas bubble has gone comma which takes about two weeks full stop He will use chloramphenicol drops four times a day comma atropine scratch that cyclopentolate one percent twice a day comma and fluorometholone drops four times a day for a month full stop If the pressure in his eye rises he may need a short course of acetazolamide full stop new paragraph
Kind regards""",
  terms=["rhegmatogenous retinal detachment", "floaters", "horseshoe tear", "pars plana vitrectomy", "cryotherapy", "sulfur hexafluoride", "gas tamponade", "nitrous oxide", "chloramphenicol", "cyclopentolate", "fluorometholone", "acetazolamide"]),

 dict(id="z07_referral_hcm", voice="en-gb", speed=160, noise=0.0, letter_type="referral",
  patient="Aaron Kilbride", dob="1983-06-12", nhs="9993790257", recipient="Cardiology Department",
  spoken="""This is Doctor Bronwen Talfryn at Penhallow Surgery dictating a referral to the cardiology department, Ravensworth General Hospital.
Regarding Mr Aaron Kilbride, date of birth twelfth of June nineteen eighty three, NHS number {NHS}.
Dear Colleagues comma new paragraph
Please see Mr Kilbride comma who has had chest tightness and light headedness when running uphill for two months full stop His older brother was found to have hypertrophic cardiomyopathy last year after a cardiac arrest and now has an implantable cardioverter defibrillator full stop On examination there is a harsh systolic murmur at the left sternal edge that gets louder with the Valsalva manoeuvre full stop His ECG shows left ventricular hypertrophy with deep T wave inversion in the lateral leads full stop new paragraph
He was started on lercanidipine ten milligrams for high blood pressure comma which may have made his symptoms worse comma so I have stopped it and started metoprolol twenty five milligrams twice daily full stop I have told him not to use the tadalafil he bought online full stop I would value your assessment for left ventricular outflow tract obstruction and of his risk of sudden cardiac death comma whether he might benefit from mavacamten full stop new paragraph
Yours faithfully""",
  terms=["hypertrophic cardiomyopathy", "implantable cardioverter defibrillator", "left sternal edge", "Valsalva manoeuvre", "left ventricular hypertrophy", "T wave inversion", "lercanidipine", "metoprolol", "tadalafil", "left ventricular outflow tract obstruction", "sudden cardiac death", "mavacamten"]),

 dict(id="z08_discharge_pancreatitis", voice="en-gb-x-rp", speed=150, noise=0.004, letter_type="discharge",
  patient="Lee Shackleton", dob="1975-09-25", nhs="9998158982", recipient="Dr Oksana Petrenko",
  spoken="""Discharge summary to Doctor Oksana Petrenko, Coldharbour Medical Centre.
Patient Mr Lee Shackleton, date of birth twenty fifth of September nineteen seventy five, NHS number {NHS}.
Diagnosis colon alcohol related acute pancreatitis new line alcohol withdrawal new paragraph
Dear Doctor Petrenko comma new paragraph
Mr Shackleton came in with severe upper abdominal pain going through to his back and repeated vomiting after a weekend of heavy drinking full stop His serum lipase was five times the upper limit of normal full stop His modified Glasgow score was two full stop A CT scan on day four showed an oedematous pancreas with an acute peripancreatic fluid collection but no pancreatic necrosis full stop new paragraph
He had intravenous fluids and early enteral feeding full stop He needed a reducing course of chlordiazepoxide for alcohol withdrawal comma and intravenous Pabrinex to protect against Wernicke's encephalopathy full stop new paragraph
Medications on discharge colon thiamine one hundred milligrams three times a day comma vitamin B compound strong one tablet three times a day comma and acamprosate six hundred and sixty six milligrams three times a day full stop new paragraph
Follow up colon a repeat CT scan in six weeks to check the collection comma and review in the pancreas clinic full stop new paragraph
Best wishes""",
  terms=["acute pancreatitis", "lipase", "modified Glasgow score", "peripancreatic fluid collection", "pancreatic necrosis", "enteral feeding", "chlordiazepoxide", "Pabrinex", "Wernicke's encephalopathy", "thiamine", "vitamin B compound strong", "acamprosate"]),
]
